"""Parsing of dates, durations, numbers and yes/no flags as agency files write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from schemas.parsing import (
    parse_bool,
    parse_date,
    parse_decimal,
    parse_duration_minutes,
    parse_int,
    parse_partial_date,
    parse_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/11/2023", date(2023, 11, 29)),
        ("1/8/2013", date(2013, 8, 1)),
        (" 05/12/2023 ", date(2023, 12, 5)),
        ("2023-11-29", date(2023, 11, 29)),
        ("1917-09-24T23:59:59", date(1917, 9, 24)),
        ("2013-05-28T00:00:00Z", date(2013, 5, 28)),
        ("2013-05-28T23:30:00-03:00", date(2013, 5, 28)),
        ("2013-05-28 00:00:00", date(2013, 5, 28)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2023", "not a calendar date"),
        ("29/02/2023", "not a calendar date"),
        ("13/13/2023", "not a calendar date"),
        ("2023-02-31", "not a valid ISO 8601 date"),
        ("12/05/23", "not a date"),
        ("May 5, 2023", "not a date"),
        ("", "empty"),
    ],
)
def test_parse_date_rejects(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_parse_year_and_partial_date() -> None:
    assert parse_year("2023") == 2023
    assert parse_year(" 1895 ") == 1895
    for bad in ("23", "1879", "2101", "2023.0", "abcd"):
        with pytest.raises(ValueError):
            parse_year(bad)
    assert parse_partial_date("2010") == (date(2010, 1, 1), "year")
    assert parse_partial_date("24/09/2017") == (date(2017, 9, 24), "day")
    assert parse_partial_date("2017-09-24") == (date(2017, 9, 24), "day")
    with pytest.raises(ValueError):
        parse_partial_date("1700")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("PT01H37M49S", 97.82),
        ("PT01H32M03S", 92.05),
        ("PT97M", 97.0),
        ("P0DT1H", 60.0),
        ("PT10M00.0S", 10.0),
        ("PT117M00.0S", 117.0),
        ("pt1h30m", 90.0),
        ("P1D", 1440.0),
        ("97", 97.0),
        ("4,3", 4.3),
        ("83,0", 83.0),
        ("97.5", 97.5),
        ("1:37:49", 97.82),
        ("01:56:20", 116.33),
        ("56:20", 56.33),
        ("10:00", 10.0),
    ],
)
def test_parse_duration_minutes(text: str, minutes: float) -> None:
    assert parse_duration_minutes(text) == minutes


@pytest.mark.parametrize("text", ["P1Y", "P2M", "PT", "P", "1:75", "-5", "90 min", "PT1H-5M", ""])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration_minutes(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R$ 107.941,79", Decimal("107941.79")),
        ("R$ 271,00", Decimal("271.00")),
        ("16000,0", Decimal("16000.0")),
        ("33528,9", Decimal("33528.9")),
        ("1,234.56", Decimal("1234.56")),
        ("1.234.567", Decimal("1234567")),
        ("1,234,567", Decimal("1234567")),
        ("1234", Decimal("1234")),
        ("6.99", Decimal("6.99")),
        ("-12,5", Decimal("-12.5")),
        ("US$ 1,000.00", Decimal("1000.00")),
        ("UYU 1.500,25", Decimal("1500.25")),
    ],
)
def test_parse_decimal(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


def test_parse_decimal_with_named_separator() -> None:
    assert parse_decimal("R$ 1.234", decimal_separator=",") == Decimal("1234")
    assert parse_decimal("1,234", decimal_separator=".") == Decimal("1234")
    assert parse_decimal("1,234") == Decimal("1.234")


@pytest.mark.parametrize("text", ["", "R$", "12,34,5", "1.23.4", "abc", "1,2.3,4", "12,"])
def test_parse_decimal_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6719", 6719), ("6.719", 6719), ("1.234.567", 1234567), ("6,719", 6719), ("0", 0)],
)
def test_parse_int(text: str, expected: int) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize("text", ["", "1.5", "16000,0", "12.34.567", "abc", "1e3", "٣"])
def test_parse_int_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_int(text)


@pytest.mark.parametrize(
    "text", ["SIM", "sim", "Sí", "si", "yes", "YES", "true", "True", "Y", "y", "1", "S"]
)
def test_parse_bool_true(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["NÃO", "nao", "No", "no", "false", "FALSE", "N", "n", "0"])
def test_parse_bool_false(text: str) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["", "maybe", "N/D", "2"])
def test_parse_bool_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="yes/no|empty"):
        parse_bool(text)
