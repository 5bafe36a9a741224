"""The exchange CSV marks an identifier that failed its check, so it survives a round trip."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from importers.exchange.cells import format_identifiers, parse_identifiers
from schemas.aggregate import WORK_AGGREGATE

UNVERIFIED = {"scheme": "eidr", "value": "10.5240/2D99-3C1C-9F31-3E10-3411-X", "verified": False}
VERIFIED = {"scheme": "eidr", "value": "10.5240/2D99-3C1C-9F31-3E10-3411-1"}


def test_an_unverified_identifier_is_written_with_a_tilde_and_read_back() -> None:
    cell = format_identifiers([VERIFIED, UNVERIFIED])
    assert (
        cell == "eidr:10.5240/2D99-3C1C-9F31-3E10-3411-1|~eidr:10.5240/2D99-3C1C-9F31-3E10-3411-X"
    )
    assert parse_identifiers(cell) == [VERIFIED, UNVERIFIED]
    assert parse_identifiers(" ~eidr:x | |imdb:tt0111161") == [
        {"scheme": "eidr", "value": "x", "verified": False},
        {"scheme": "imdb", "value": "tt0111161"},
    ]


def test_a_failing_identifier_without_the_mark_is_refused() -> None:
    data = {
        "titles": [{"text": "x"}],
        "identifiers": parse_identifiers(format_identifiers([VERIFIED])),
    }
    assert WORK_AGGREGATE.load(data)["identifiers"] == [VERIFIED]
    bad = {
        "titles": [{"text": "x"}],
        "identifiers": [{k: UNVERIFIED[k] for k in ("scheme", "value")}],
    }
    with pytest.raises(ValidationError, match="check character"):
        WORK_AGGREGATE.load(bad)
    kept = {
        "titles": [{"text": "x"}],
        "identifiers": parse_identifiers("~" + "eidr:" + UNVERIFIED["value"]),
    }
    assert WORK_AGGREGATE.load(kept)["identifiers"] == [UNVERIFIED]


def test_a_value_failing_only_its_check_is_kept_in_its_scheme_spelling() -> None:
    from schemas.identifiers import unverified_form

    for given in (
        "urn:eidr:10.5240:0000-0000-0000-0000-0000-1",
        "10.5240/0000 0000 0000 0000 0000 1",
        "md:cid:eidr-s:0000-0000-0000-0000-0000-1",
    ):
        assert unverified_form("eidr", given) == "10.5240/0000-0000-0000-0000-0000-1"
    assert unverified_form("isan", "URN:ISAN:0000-0000-163a-d000-7") == "0000-0000-163A-D000-7"
    assert unverified_form("eidr", " 10.5240/:1234-1234-1234-1234-1234-5 ") == (
        "10.5240/:1234-1234-1234-1234-1234-5"
    )
    assert unverified_form("imdb", " tt12 ") == "tt12"
