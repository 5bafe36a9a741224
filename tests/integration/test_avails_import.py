"""Import MovieLabs Avails XML and EMA spreadsheets through the pipeline into the database."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from registry.context import Registry
from registry.errors import ImportFailed
from registry.models import ImportBatch, ImportFinding, License, Rejection, SourceRecord, Work
from registry.models.work import Identifier
from registry.services.imports import run_import
from tests.conftest import REFERENCE_DATA, TEST_DATA, reference_file

DATA = Path(__file__).resolve().parents[1] / "data" / "avails"
HOSTILE = DATA / "hostile"
PASSWD = Path("/etc/passwd")

# Expected counts, derived from the files: one record per Avail (or per group of rows of one
# ALID that agree in a sheet), one per refused Transaction, one per season/series described only
# inside other avails. Then the warnings and notices by code (MovieLabs' grading).
REFERENCE_COUNTS = {
    # 9 Avails + derived season krfs-s01 + series krfs; volume 1 repeats episodes 3-4 of volume 2
    # (an error); both volumes carry placeholder EIDRs with wrong check characters (warnings).
    "mddf/avails/Avails_Volume_error_v2.4.xml": (
        {"read": 11, "created": 10, "rejected": 1},
        {"identifier-unverified": 2},
        {},
    ),
    # 12 Avails + derived series "jake" (season jake-s01 has its own Avail).
    "mddf/avails/Avails_noErrors_v2.2.2.xml": ({"read": 13, "created": 13}, {}, {}),
    "mddf/avails/Avails_noErrors_v2.4.xml": ({"read": 13, "created": 13}, {}, {}),
    # 2 Avails + the Transaction whose only territory is 'JJ'; the other marked errors are
    # values left out of stored records (languages, ratings, a misspelt rights description).
    "mddf/avails/Avails_withErrors.xml": (
        {"read": 3, "created": 2, "rejected": 1},
        {"language-invalid": 3, "rating-invalid": 2, "vocabulary-unknown": 1},
        {},
    ),
    # 3 ALIDs whose rows all carry the template's placeholder EIDRs (kept unverified); every
    # row gives another TitleID, which fails its check and so tells no other asset apart;
    # row 30 is a Full Delete of an ALID never imported (unchanged).
    "mddf/avails-xlsx/Movies_v1.7.2.xlsx": (
        {"read": 4, "created": 3, "unchanged": 1},
        {"identifier-differs": 23, "identifier-unverified": 9},
        {},
    ),
    "mddf/avails-xlsx/Movies_v1.9.xlsx": (
        {"read": 2, "created": 2},
        {"identifier-unverified": 6},
        {},
    ),
    # 20 ALIDs (two rows each but for the seasons) + the two rows without an ALID, keyed by
    # their AvailID + the derived series.
    "mddf/avails-xlsx/TV_v1.8.xlsx": (
        {"read": 22, "created": 22},
        {"alid-missing": 1, "identifier-differs": 33, "identifier-unverified": 75},
        {},
    ),
}


@pytest.mark.parametrize("relative", sorted(REFERENCE_COUNTS))
def test_reference_files_import_and_reimport_unchanged(registry: Registry, relative: str) -> None:
    path = reference_file(relative)
    counts, warnings, notices = REFERENCE_COUNTS[relative]
    report = run_import(registry, path)
    assert report.source_format == ("avails-xlsx" if path.suffix == ".xlsx" else "avails-xml")
    assert report.agency == "ZZ-AVAILS"
    assert report.reconciles()
    expected = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 0}
    expected.update(counts)
    assert report.counts == expected
    assert (report.warnings, report.notices) == (warnings, notices)
    with registry.sessions() as session:
        stored = session.scalars(
            select(ImportFinding.code).where(ImportFinding.batch_id == report.batch_id)
        ).all()
    assert len(stored) == sum(warnings.values()) + sum(notices.values())
    again = run_import(registry, path)
    assert again.counts["unchanged"] == expected["created"] + expected["unchanged"]
    assert again.counts["rejected"] == expected["rejected"]


def test_non_error_samples_reject_nothing(registry: Registry) -> None:
    samples = [
        *REFERENCE_DATA.glob("mddf/*/*.x*"),
        *(DATA / name for name in ("Avails_noErrors_v2.4_cut.xml", "Movies_v1.9_cut.xlsx")),
        DATA / "TV_v1.8_cut.xlsx",
        TEST_DATA / "mec" / "VEEP_Season5_E4_mec.xml",
    ]
    error_samples = {"Avails_withErrors.xml", "Avails_Volume_error_v2.4.xml", "CM_withErrors.xml"}
    non_error = sorted(p for p in samples if p.name not in error_samples)
    assert len(non_error) == 12
    for path in non_error:
        report = run_import(registry, path)
        assert report.counts["rejected"] == 0, (path.name, report.rejections)
        assert report.reconciles()


def test_unverified_identifiers_are_stored_as_such_and_never_join_works(
    registry: Registry,
) -> None:
    run_import(registry, reference_file("mddf/avails-xlsx/TV_v1.8.xlsx"))
    with registry.sessions() as session:
        rows = session.execute(
            select(Identifier.work_id, Identifier.verified).where(
                Identifier.value == "10.5240/1489-49A2-3956-4B2D-FE16-6"
            )
        ).all()
        keys = set(session.scalars(select(SourceRecord.source_key)))
    assert {verified for _, verified in rows} == {False}
    assert len({work_id for work_id, _ in rows}) == 2
    assert {"rs_detectives_101", "rs_detectives_fr_101", "AvailID:34530345-ABD-WE-FR-1"} <= keys


def test_errors_are_stored_per_transaction_and_warnings_beside_them(registry: Registry) -> None:
    report = run_import(registry, DATA / "Avails_withErrors.xml")
    with registry.sessions() as session:
        rejections = {
            r.locator: r
            for r in session.scalars(select(Rejection).where(Rejection.batch_id == report.batch_id))
        }
        territory = rejections["/AvailList/Avail[1]/Transaction[1] (line 48)"]
        assert territory.errors["Territory"] == ["'JJ' is not an ISO 3166-1 country"]
        assert "<md:country>JJ</md:country>" in territory.raw_text
        librry = session.scalars(
            select(ImportFinding).where(
                ImportFinding.batch_id == report.batch_id,
                ImportFinding.code == "vocabulary-unknown",
            )
        ).one()
        assert librry.field == "/AvailList/Avail[2]/Transaction[2]/LicenseRightsDescription"
        assert librry.source_key == "030434"
        assert "'Librry'" in librry.message
        dodgeball = session.scalars(
            select(Work)
            .join(Identifier)
            .where(Identifier.value == "10.5240/6FE7-5382-637F-2E34-7518-O")
        ).one()
        assert [lic.external_id for lic in dodgeball.licenses] == ["957373", "957355"]
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
