"""Import MovieLabs Avails XML and EMA spreadsheets through the pipeline into the database."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from registry.context import Registry
from registry.errors import ImportFailed
from registry.models import ImportBatch, License, Rejection, SourceRecord, Work
from registry.models.work import Identifier
from registry.services.imports import run_import
from tests.conftest import reference_file

DATA = Path(__file__).resolve().parents[1] / "data" / "avails"
HOSTILE = DATA / "hostile"
PASSWD = Path("/etc/passwd")

# Expected counts, derived from the files: one record per Avail (or per ALID in a sheet), one
# per refused Transaction or Rating, one per season/series described only inside other avails.
REFERENCE_COUNTS = {
    # 9 Avails + derived season krfs-s01 + series krfs; both volumes refused (placeholder EIDRs,
    # and volume 1 repeats episodes 3-4 of volume 2).
    "mddf/avails/Avails_Volume_error_v2.4.xml": {"read": 11, "created": 9, "rejected": 2},
    # 12 Avails + derived series "jake" (season jake-s01 has its own Avail).
    "mddf/avails/Avails_noErrors_v2.2.2.xml": {"read": 13, "created": 13, "rejected": 0},
    "mddf/avails/Avails_noErrors_v2.4.xml": {"read": 13, "created": 13, "rejected": 0},
    # 2 Avails + 3 refused Transactions + 2 refused Ratings (all marked ERROR in the file).
    "mddf/avails/Avails_withErrors.xml": {"read": 7, "created": 2, "rejected": 5},
    # 3 ALIDs whose rows carry template placeholder EIDRs + 23 rows contradicting the first row
    # of their ALID; row 30 is a Full Delete of an ALID never imported (unchanged).
    "mddf/avails-xlsx/Movies_v1.7.2.xlsx": {"read": 27, "unchanged": 1, "rejected": 26},
    "mddf/avails-xlsx/Movies_v1.9.xlsx": {"read": 2, "rejected": 2},
    "mddf/avails-xlsx/TV_v1.8.xlsx": {"read": 39, "rejected": 39},
}


@pytest.mark.parametrize("relative", sorted(REFERENCE_COUNTS))
def test_reference_files_import_and_reimport_unchanged(registry: Registry, relative: str) -> None:
    path = reference_file(relative)
    report = run_import(registry, path)
    assert report.source_format == ("avails-xlsx" if path.suffix == ".xlsx" else "avails-xml")
    assert report.agency == "ZZ-AVAILS"
    assert report.reconciles()
    expected = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 0}
    expected.update(REFERENCE_COUNTS[relative])
    assert report.counts == expected
    again = run_import(registry, path)
    assert again.counts["unchanged"] == expected["created"] + expected["unchanged"]
    assert again.counts["rejected"] == expected["rejected"]


def test_errors_are_stored_per_transaction_and_valid_parts_import(registry: Registry) -> None:
    report = run_import(registry, DATA / "Avails_withErrors.xml")
    with registry.sessions() as session:
        rejections = {
            r.locator: r
            for r in session.scalars(select(Rejection).where(Rejection.batch_id == report.batch_id))
        }
        territory = rejections["/AvailList/Avail[1]/Transaction[1] (line 48)"]
        assert territory.errors["Territory"] == ["'JJ' is not an ISO 3166-1 country"]
        assert "<md:country>JJ</md:country>" in territory.raw_text
        assert (
            "'Librry'"
            in rejections["/AvailList/Avail[2]/Transaction[2] (line 173)"].errors[
                "LicenseRightsDescription"
            ][0]
        )
        dodgeball = session.scalars(
            select(Work)
            .join(Identifier)
            .where(Identifier.value == "10.5240/6FE7-5382-637F-2E34-7518-O")
        ).one()
        assert [lic.external_id for lic in dodgeball.licenses] == ["957373"]
        licence = dodgeball.licenses[0]
        assert licence.media == ["est"]
        assert licence.territories == ["US"]
        assert licence.languages == ["ar", "cmn", "cs", "da", "de", "el"]
        assert licence.licensor.name == "20th Century Fox"
        assert str(licence.start) == "1917-09-24"
        assert licence.end is None
        assert dodgeball.incomplete is True
        assert {t.text for t in dodgeball.titles} == {
            "Voll auf die Nüsse",
            "Dodgeball: A True Underdog Story",
        }


def test_hierarchy_is_linked_in_the_database(registry: Registry) -> None:
    run_import(registry, DATA / "Avails_noErrors_v2.4_cut.xml")
    with registry.sessions() as session:
        episode = session.scalars(
            select(Work)
            .join(Identifier)
            .where(Identifier.value == "md:alid:disney.com:jake-s01e01")
        ).one()
        season = session.get(Work, episode.parent_id)
        series = session.get(Work, season.parent_id)
        assert (episode.work_type, episode.sequence) == ("episode", 1)
        assert (season.work_type, season.sequence) == ("season", 1)
        assert series.work_type == "series"
        assert [t.text for t in series.titles] == ["Jake and the Neverland Pirates"]


def test_delete_disposition_withdraws_the_avail(registry: Registry, tmp_path: Path) -> None:
    run_import(registry, DATA / "Avails_noErrors_v2.4_cut.xml")
    text = (DATA / "Avails_noErrors_v2.4_cut.xml").read_text(encoding="utf-8")
    path = tmp_path / "delete.xml"
    path.write_text(text.replace("Full Extract", "Full Delete", 1), encoding="utf-8")
    report = run_import(registry, path)
    assert report.counts["deleted"] == 1
    with registry.sessions() as session:
        work = session.scalars(
            select(Work)
            .join(Identifier)
            .where(Identifier.value == "10.5240/8FF3-1C20-84F5-F247-8BCD-E")
        ).first()
        assert work is None or work.deleted
        keys = set(session.scalars(select(SourceRecord.source_key)))
        assert "md:pseudoalid:wprid.fox.com:001143" not in keys


def _bravados_workbook(path: Path) -> Path:
    """Write a spreadsheet in the EMA 1.9 layout stating The Bravados avail of the XML sample."""
    template = openpyxl.load_workbook(DATA / "Movies_v1.9_cut.xlsx", read_only=True)
    rows = list(template.active.iter_rows(values_only=True, max_row=3))
    template.close()
    header = list(rows[1])
    values = {
        "DisplayName": "20th Century Fox",
        "AssetLanguage": "en",
        "Territory": "US",
        "WorkType": "Movie",
        "EntryType": "Full Extract",
        "TitleInternalAlias": "Bravados, The",
        "TitleDisplayUnlimited": "THE BRAVADOS",
        "LicenseType": "EST",
        "LicenseRightsDescription": "Library",
        "FormatProfile": "HD",
        "Start": "1917-09-24",
        "End": "Open",
        "PriceType": "NA",
        "PriceValue": "NA",
        "TitleID": "10.5240/8FF3-1C20-84F5-F247-8BCD-E",
        "EditID": "10.5240/77C5-ED35-8FC2-7D9D-9531-1",
        "ContentID": "md:cid:eidr-s:8FF3-1C20-84F5-F247-8BCD-E",
        "AvailID": "1431081",
        "ALID": "md:pseudoalid:wprid.fox.com:001143",
        "ReleaseYear": 1958,
        "AllowedLanguages": "ar, cmn, cs, da, de, el",
        "TotalRunTime": "1:37:49",
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Movies"
    for row in rows:
        sheet.append(list(row))
    sheet.append([values.get(name) for name in header])
    book.save(path)
    return path


def test_spreadsheet_and_xml_statements_meet_on_the_same_work(
    registry: Registry, tmp_path: Path
) -> None:
    sheet_report = run_import(registry, _bravados_workbook(tmp_path / "bravados.xlsx"))
    assert sheet_report.source_format == "avails-xlsx"
    assert sheet_report.counts["created"] == 1
    run_import(registry, DATA / "Avails_noErrors_v2.4_cut.xml")
    with registry.sessions() as session:
        work_ids = set(
            session.scalars(
                select(Identifier.work_id).where(
                    Identifier.value == "10.5240/8FF3-1C20-84F5-F247-8BCD-E"
                )
            )
        )
        assert len(work_ids) == 1
        licences = session.scalars(select(License).where(License.work_id.in_(work_ids))).all()
        assert sorted(lic.external_id for lic in licences) == ["1431081", "1431081", "1432642"]
        assert {lic.languages[0] for lic in licences} == {"ar"}


@pytest.mark.parametrize(
    "name", ["external-entity.xml", "billion-laughs.xml", "parameter-entity.xml"]
)
def test_entity_files_are_refused_and_leave_nothing(registry: Registry, name: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        run_import(registry, HOSTILE / name)
    message = str(caught.value)
    assert "the DOCTYPE declares entities" in message
    with registry.sessions() as session:
        batch = session.scalars(select(ImportBatch)).one()
        assert batch.status == "failed"
        assert batch.source_format == "avails-xml"
        assert batch.message == message
        assert session.scalar(select(func.count()).select_from(Work)) == 0
        assert session.scalar(select(func.count()).select_from(Rejection)) == 0
    _assert_no_leak(registry, message)


def _assert_no_leak(registry: Registry, message: str) -> None:
    """Assert that no line of /etc/passwd reached the message or the database file."""
    if not PASSWD.exists():
        return
    lines = [line for line in PASSWD.read_text().splitlines() if line.strip()]
    database = Path(registry.settings.database_url.removeprefix("sqlite:///"))
    stored = database.read_bytes().decode("latin-1") if database.exists() else ""
    for line in lines[:5]:
        assert line not in message
        assert line not in stored


def test_non_xml_file_is_refused(registry: Registry) -> None:
    with pytest.raises(ImportFailed, match="cannot recognise the format"):
        run_import(registry, HOSTILE / "not-xml.xml")
    with pytest.raises(ImportFailed, match="not an XML document"):
        run_import(registry, HOSTILE / "not-xml.xml", source_format="avails-xml")


def test_truncated_file_keeps_what_came_before_and_fails_the_batch(registry: Registry) -> None:
    assert registry.settings.import_batch_size > 2
    with pytest.raises(ImportFailed) as caught:
        run_import(registry, HOSTILE / "truncated-v2.4.xml")
    assert "malformed or truncated XML at line 211, column 17" in str(caught.value)
    with registry.sessions() as session:
        batch = session.scalars(select(ImportBatch)).one()
        assert batch.status == "failed"
        assert batch.created_count == 2
        keys = set(session.scalars(select(SourceRecord.source_key)))
        assert keys == {"md:pseudoalid:wprid.fox.com:001143", "030434"}
