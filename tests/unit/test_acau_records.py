"""The records the acau-csv importer yields for real ACAU rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.acau import AcauCsvImporter
from importers.base import UnreadableFile
from schemas.aggregate import WORK_AGGREGATE
from tests.conftest import TEST_DATA

SAMPLE = TEST_DATA / "acau" / "acau-awards-sample.csv"


@pytest.fixture(scope="module")
def records() -> dict[str, list]:
    """Return the sample's records grouped by project id."""
    grouped: dict[str, list] = {}
    for record in AcauCsvImporter().records(SAMPLE):
        grouped.setdefault(record.key.split("/")[0], []).append(record)
    return grouped


def _only(records: dict[str, list], project: str):
    """Return the single record of a project."""
    [record] = records[project]
    return record


def test_sniff_reads_the_header():
    assert AcauCsvImporter.sniff(SAMPLE.read_bytes(), SAMPLE)
    assert not AcauCsvImporter.sniff(b"CPB;TITULO\n", Path("x.csv"))


def test_la_masajista_spot_check(records):
    first = records["T0389"][0]
    assert first.locator == "line 2"
    data = WORK_AGGREGATE.load(first.data)
    assert data["work_type"] == "short"
    assert data["titles"] == [
        {"text": "La Masajista", "language": "es", "kind": "original", "territory": None}
    ]
    assert data["identifiers"] == [{"scheme": "uy_acau", "value": "T0389"}]
    assert data["countries_of_origin"] == ["UY"]
    [company] = [c["party"] for c in data["contributions"] if c["role"] == "production_company"]
    assert company["name"] == "Nadador Cine SRL"
    assert company["identifiers"] == [{"scheme": "uy_rut", "value": "217926260011"}]
    [coproduction] = data["coproductions"]
    assert (coproduction["country"], coproduction["role"]) == ("UY", "sole")
    assert coproduction["party"]["name"] == "Nadador Cine SRL"
    [applicant] = [c["party"] for c in data["contributions"] if c["role"] == "applicant"]
    assert applicant == {
        "kind": "person",
        "name": "Juan José López",
        "country": None,
        "identifiers": [],
    }
    [award] = data["attributes"]["awards"]
    assert award["instrument"] == "Fomento" and award["year"] == 2013
    assert award["amount_awarded"] == "16000.0"
    assert award["amount_awarded_constant"] == "33528.9"
    assert award["amount_executed"] == "14400.0"
    assert award["currency"] == "UYU"
    assert award["resolution_date"] == "2013-08-01"
    assert award["status"] == "Cerrado por resolución"
    assert data["attributes"]["production_type"] == "Producción uruguaya"
    assert data["attributes"]["trade_name"] == "Nadador Cine"


def test_each_award_of_a_project_is_its_own_record(records):
    masajista = records["T0389"]
    assert [r.locator for r in masajista] == ["line 2", "line 9", "line 10"]
    assert [r.data["attributes"]["awards"][0]["year"] for r in masajista] == [2013, 2017, 2018]
    assert len({r.key for r in masajista}) == 3
    rio = records["T0968"]
    assert len(rio) == 3 and rio[1].key == rio[0].key + "-2"


def test_personal_identity_number_is_withheld_everywhere(records):
    record = _only(records, "T0359")
    assert "12345672" not in record.raw and "[withheld]" in record.raw
    assert "12345672" not in str(record.data)
    assert "personal identity number" in record.data["attributes"]["rut_note"]
    roles = {c["role"] for c in record.data["contributions"]}
    assert roles == {"applicant"}


def test_invalid_rut_keeps_the_company_without_identifier(records):
    record = _only(records, "T1699")
    [company] = [
        c["party"] for c in record.data["contributions"] if c["role"] == "production_company"
    ]
    assert company["name"] == "Monarca Films SRL" and company["identifiers"] == []
    assert "218679010018" in record.data["attributes"]["rut_note"]
    assert "check digit" in record.data["attributes"]["rut_note"]


def test_lost_leading_zero_is_restored_only_when_the_check_digit_agrees(records):
    record = _only(records, "T1440")
    [company] = [
        c["party"] for c in record.data["contributions"] if c["role"] == "production_company"
    ]
    assert company["identifiers"] == [{"scheme": "uy_rut", "value": "090162680010"}]


def test_two_digit_year_dates(records):
    award = _only(records, "T1726").data["attributes"]["awards"][0]
    assert award["resolution_date"] == "2024-12-23"
    assert award["resolution_date_as_written"] == "23/12/24"


def test_company_name_missing_keeps_the_rut_as_a_note(records):
    record = _only(records, "T1726")
    assert not [c for c in record.data["contributions"] if c["role"] == "production_company"]
    assert record.data["attributes"]["rut_note"] == (
        "rut 217632140019 is given without a company name"
    )


def test_service_production_and_advertising(records):
    service = WORK_AGGREGATE.load(_only(records, "T0589").data)
    assert service["coproductions"][0]["role"] == "service"
    assert service["countries_of_origin"] == []
    assert service["titles"][0]["language"] is None
    advert = WORK_AGGREGATE.load(_only(records, "T1248").data)
    assert advert["work_type"] == "other" and advert["coproductions"] == []


def test_otros_states_no_work_type(records):
    whisky = records["T0850"]
    assert [r.data["work_type"] for r in whisky] == ["movie", None]


def test_not_a_work_is_rejected_with_the_reason(records):
    record = _only(records, "T0956")
    assert record.data is None
    assert "not an audiovisual work" in record.errors["formato"][0]


def test_every_other_sample_row_validates(records):
    for group in records.values():
        for record in group:
            if record.key.startswith("T0956/"):
                continue
            assert record.errors == {}, record.locator
            WORK_AGGREGATE.load(record.data)


def test_wrong_header_is_refused(tmp_path):
    path = tmp_path / "acau.csv"
    path.write_text(
        SAMPLE.read_text("utf-8").replace("razon_social", "empresa", 1), encoding="utf-8"
    )
    with pytest.raises(UnreadableFile, match="missing columns: razon_social"):
        list(AcauCsvImporter().records(path))


def test_short_row_is_rejected(tmp_path):
    lines = SAMPLE.read_text("utf-8").splitlines()
    path = tmp_path / "acau.csv"
    path.write_text("\n".join([lines[0], lines[1].rsplit(",", 2)[0]]) + "\n", encoding="utf-8")
    [record] = AcauCsvImporter().records(path)
    assert record.errors == {"_row": ["expected 24 cells, found 22"]}
