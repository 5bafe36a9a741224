"""ACAU coded values, RUTs, dates and award keys."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from importers.acau.importer import HEADER, award_key
from importers.acau.mapping import (
    COPRODUCTION_ROLES,
    NOT_A_WORK_FORMATS,
    WORK_TYPES_BY_FORMAT,
    resolution_date,
)
from importers.acau.parties import applicant, company, read_rut
from schemas.text import fold
from tests.conftest import TEST_DATA, reference_file

SAMPLE = TEST_DATA / "acau" / "acau-awards-sample.csv"
REFERENCE = "acau/acau-apoios-reembolsos-projetos-audiovisuais-2013-2024.csv"


def _rows(path) -> list[dict[str, str]]:
    """Return the rows of an ACAU file as dictionaries."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_format_and_production_type_of_the_file_is_mapped_deliberately():
    rows = _rows(reference_file(REFERENCE))
    formats = {fold(r["formato"]) for r in rows}
    assert formats <= set(WORK_TYPES_BY_FORMAT) | NOT_A_WORK_FORMATS
    assert {fold(r["tipo_de_produccion"]) for r in rows} <= set(COPRODUCTION_ROLES)


def test_format_mapping():
    assert WORK_TYPES_BY_FORMAT[fold("Largometraje")] == "movie"
    assert WORK_TYPES_BY_FORMAT[fold("Cortometraje")] == "short"
    assert WORK_TYPES_BY_FORMAT[fold("Serie")] == "series"
    assert WORK_TYPES_BY_FORMAT[fold("Formato televisivo")] == "other"
    assert WORK_TYPES_BY_FORMAT[fold("Otros")] is None
    assert COPRODUCTION_ROLES[fold("Producción uruguaya")] == "sole"
    assert COPRODUCTION_ROLES[fold("Servicio de producción")] == "service"
    assert COPRODUCTION_ROLES[fold("Sin registro de CN")] is None


@pytest.mark.parametrize(
    ("cell", "rut", "personal", "note"),
    [
        ("217926260011", "217926260011", False, None),
        ("90162680010", "090162680010", False, "leading zero restored"),
        ("218679010018", None, False, "check digit is '8'"),
        ("9002071952", None, False, "expected 12 digits, got 10"),
        ("31162586", None, True, "personal identity number"),
        ("N/D", None, False, None),
        ("Sin empresa", None, False, None),
    ],
)
def test_rut_cells(cell, rut, personal, note):
    reading = read_rut(cell)
    assert reading.rut == rut
    assert reading.personal_number is personal
    if note:
        assert note in reading.note
        assert cell not in reading.note or not personal
    else:
        assert reading.note is None


def test_company_keeps_a_bad_rut_out_and_the_company_in():
    bad = company("Monarca Films SRL", read_rut("218679010018"))
    assert bad == {
        "kind": "organization",
        "name": "Monarca Films SRL",
        "country": None,
        "identifiers": [],
    }
    good = company("Nadador Cine SRL", read_rut("217926260011"))
    assert good["identifiers"] == [{"scheme": "uy_rut", "value": "217926260011"}]
    assert good["country"] == "UY"
    assert company("TORRES NOELIA", read_rut("45678902"))["kind"] == "person"


def test_applicant_is_the_company_when_names_match_else_a_person():
    firm = company("Pizza SRL", read_rut("213668480011"))
    assert applicant("Pizza SRL", firm, "Pizza") is firm
    assert applicant("Juan José López", firm, "Nadador Cine")["kind"] == "person"
    assert applicant("Cholo Films Srl", None, None)["kind"] == "organization"
    assert applicant(None, firm, None) is None


def test_two_digit_years_are_read_only_when_they_fit_the_award_year():
    assert resolution_date("1/8/2013", 2013) == (date(2013, 8, 1), False)
    assert resolution_date("23/12/24", 2024) == (date(2024, 12, 23), True)
    with pytest.raises(ValueError, match="does not match"):
        resolution_date("23/12/19", 2024)


def test_award_keys_are_stable_and_unique_whatever_the_order():
    rows = _rows(SAMPLE)
    assert list(rows[0]) == HEADER
    forward: dict[str, int] = {}
    keys = [award_key(r, forward) for r in rows]
    assert len(set(keys)) == len(rows)
    assert keys[0].startswith("T0389/2013/")
    backward: dict[str, int] = {}
    reversed_keys = [award_key(r, backward) for r in reversed(rows)]
    unique = [k for k in keys if not k.startswith("T0968/2023/")]
    assert set(unique) <= set(reversed_keys)


def test_award_key_ignores_amounts_and_states():
    row = _rows(SAMPLE)[0]
    changed = dict(row, monto_ejecutado_corriente="1,0", estado="Abierto", rut="N/D")
    assert award_key(row, {}) == award_key(changed, {})
    assert award_key(row, {}) != award_key(dict(row, fondo="Producción"), {})
