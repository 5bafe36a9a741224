"""Integration tests: import the ANCINE cuts through the pipeline and check the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from registry.context import Registry
from registry.models import (
    Contribution,
    CoProduction,
    Identifier,
    License,
    Rejection,
    SourceRecord,
    Title,
    Work,
    WorkCountry,
)
from registry.services.imports import run_import

DATA = Path(__file__).resolve().parents[1] / "data" / "ancine"
CUTS_IN_ORDER = (
    "cpb-2023.csv",
    "roe-2023.csv",
    "countries.csv",
    "directors.csv",
    "crt-2023.csv",
    "releases.csv",
)


def work_id_of(registry: Registry, scheme: str, value: str) -> int:
    """Return the id of the one work carrying an identifier."""
    with registry.sessions() as s:
        ids = set(s.scalars(select(Identifier.work_id).where(
            Identifier.scheme == scheme, Identifier.value == value
        )))  # fmt: skip
    assert len(ids) == 1, ids
    return ids.pop()


def test_five_casas_has_countries_br_and_de_and_is_a_coproduction(registry: Registry) -> None:
    """Join the two non-adjacent country rows of B2000263300000 on one work."""
    report = run_import(registry, DATA / "countries.csv")
    assert report.source_format == "ancine-countries"
    assert report.reconciles() and report.counts["rejected"] == 1
    work_id = work_id_of(registry, "br_cpb", "B2000263300000")
    with registry.sessions() as s:
        countries = sorted(
            s.scalars(select(WorkCountry.country).where(WorkCountry.work_id == work_id))
        )
        coproductions = sorted(
            s.scalars(select(CoProduction.country).where(CoProduction.work_id == work_id))
        )
        work = s.get(Work, work_id)
        titles = set(s.scalars(select(Title.text).where(Title.work_id == work_id)))
    assert countries == ["BR", "DE"]
    assert coproductions == ["BR", "DE"]
    assert work.incomplete is True
    assert titles == {"5 CASAS"}


def test_crt_row_becomes_a_licence_with_licensee_medium_and_date(registry: Registry) -> None:
    """Store the CRT 2023010475000005 of 5 CASAS as an expired pay-TV licence for LANCA."""
    report = run_import(registry, DATA / "crt-2023.csv")
    assert report.counts["rejected"] == 0 and report.reconciles()
    work_id = work_id_of(registry, "br_cpb", "B2000263300000")
    with registry.sessions() as s:
        licence = s.scalars(select(License).where(License.external_id == "2023010475000005")).one()
        assert licence.work_id == work_id
        assert licence.licensee.name == "LANCA DISTRIBUIDORA DE FILMES LTDA"
        schemes = {(i.scheme, i.value) for i in licence.licensee.identifiers}
        assert schemes == {("br_cnpj", "18.384.267/0001-95"), ("ancine_agent", "25115")}
        assert licence.media == ["pay_tv"]
        assert licence.territories == ["BR"]
        assert licence.start == date(2023, 4, 4)
        assert (licence.end, licence.status) == (None, "expired")
        assert licence.terms["request_date"] == "2023-04-03"


def test_reimport_leaves_every_record_unchanged(registry: Registry) -> None:
    """Give the same keys and fingerprints on a second import of each cut."""
    for name in CUTS_IN_ORDER:
        run_import(registry, DATA / name)
    for name in CUTS_IN_ORDER:
        again = run_import(registry, DATA / name)
        counts = again.counts
        assert counts["unchanged"] == counts["read"] - counts["rejected"], (name, counts)
        assert counts["created"] == counts["updated"] == 0, (name, counts)


def test_windows_1252_copy_imports_as_unchanged(registry: Registry, tmp_path: Path) -> None:
    """Store exactly the same facts from the CPB cut converted to Windows-1252."""
    first = run_import(registry, DATA / "cpb-2023.csv")
    latin = tmp_path / "cpb-latin.csv"
    latin.write_bytes((DATA / "cpb-2023.csv").read_text(encoding="utf-8").encode("cp1252"))
    again = run_import(registry, latin)
    assert again.source_format == "ancine-cpb"
    assert again.counts["unchanged"] == first.counts["created"] == 34


def test_changed_row_is_updated_with_a_new_payload(registry: Registry, tmp_path: Path) -> None:
    """Update only the row whose duration changed, keeping the new raw line."""
    original = (DATA / "cpb-2023.csv").read_text(encoding="utf-8")
    old_line = next(line for line in original.splitlines() if "B2300453700000" in line)
    new_line = old_line.replace(";4,3;", ";4,5;")
    assert new_line != old_line
    changed = tmp_path / "cpb-changed.csv"
    changed.write_text(original.replace(old_line, new_line), encoding="utf-8")
    run_import(registry, DATA / "cpb-2023.csv")
    report = run_import(registry, changed)
    assert (report.counts["updated"], report.counts["unchanged"]) == (1, 33)
    with registry.sessions() as s:
        record = s.scalars(select(SourceRecord).where(
            SourceRecord.source_format == "ancine-cpb", SourceRecord.source_key == "B2300453700000"
        )).one()  # fmt: skip
        assert record.payload == new_line
        assert record.import_batch_id == report.batch_id
        assert s.get(Work, record.work_id).runtime_minutes == 4.5


def test_broken_file_keeps_good_rows_and_reports_each_bad_one(registry: Registry) -> None:
    """Import two good rows; refuse the short row, the bad CPB and the impossible date."""
    report = run_import(registry, DATA / "broken-cpb.csv")
    assert report.counts["read"] == 5
    assert (report.counts["created"], report.counts["rejected"]) == (2, 3)
    reasons = {r["locator"]: r["errors"] for r in report.rejections}
    assert set(reasons) == {"line 3", "line 4", "line 5"}
    assert "found 17" in reasons["line 3"]["_row"][0]
    assert "B23005523000" in reasons["line 4"]["CPB"][0]
    assert "31/02/2023" in reasons["line 5"]["DATA_EMISSAO_CPB"][0]
    with registry.sessions() as s:
        stored = s.scalars(select(Rejection).where(Rejection.batch_id == report.batch_id)).all()
        assert sorted(r.locator for r in stored) == ["line 3", "line 4", "line 5"]
        assert all(r.raw_text for r in stored)
        assert s.scalar(select(func.count()).select_from(Work)) == 2


def test_crt_first_creates_an_incomplete_work_completed_by_the_cpb(registry: Registry) -> None:
    """Stub the work from its CRT, then let the CPB registration complete the same work."""
    run_import(registry, DATA / "crt-2023.csv")
    work_id = work_id_of(registry, "br_cpb", "B2300453700000")
    with registry.sessions() as s:
        assert s.get(Work, work_id).incomplete is True
    run_import(registry, DATA / "cpb-2023.csv")
    assert work_id_of(registry, "br_cpb", "B2300453700000") == work_id
    with registry.sessions() as s:
        work = s.get(Work, work_id)
        assert work.incomplete is False
        assert (work.work_type, work.year, work.runtime_minutes) == ("music_video", 2023, 4.3)
        licences = s.scalars(select(License).where(License.work_id == work_id)).all()
        assert sorted(lic.external_id for lic in licences) == [
            "2023037356000008",
            "2023044701000000",
        ]


def test_all_cuts_in_order_join_on_the_same_works(registry: Registry) -> None:
    """Import the six cuts and find director, licences and release on OPPENHEIMER."""
    for name in CUTS_IN_ORDER:
        report = run_import(registry, DATA / name)
        assert report.reconciles(), (name, report.counts)
    work_id = work_id_of(registry, "br_roe", "E2300181900000")
    with registry.sessions() as s:
        work = s.get(Work, work_id)
        assert (work.incomplete, work.work_type, work.year) == (False, "movie", 2023)
        roles = {(c.role, c.party.name) for c in s.scalars(
            select(Contribution).where(Contribution.work_id == work_id)
        )}  # fmt: skip
        assert ("director", "CHRISTOPHER NOLAN") in roles
        assert any(role == "applicant" for role, _ in roles)
        licences = s.scalars(select(License).where(License.work_id == work_id)).all()
        release = next(lic for lic in licences if "admissions" in lic.terms)
        assert (release.media, release.start) == (["theatrical"], date(2023, 7, 20))
        assert release.terms["admissions"] == 3001675
        assert release.terms["box_office"] == {"amount": "67522916.15", "currency": "BRL"}
        assert release.licensee.name == "WARNER BROS. (SOUTH) INC."


def test_placeholder_roe_is_never_evidence_when_placing_records(registry: Registry) -> None:
    """Give each record under E1300000100000 a work of its own: the placeholder joins nothing."""
    run_import(registry, DATA / "directors.csv")
    with registry.sessions() as s:
        placeholder_works = set(s.scalars(select(Identifier.work_id).where(
            Identifier.scheme == "br_roe", Identifier.value == "E1300000100000"
        )))  # fmt: skip
        records = s.scalars(
            select(SourceRecord.work_id).where(SourceRecord.work_id.in_(placeholder_works))
        ).all()
        gigante = set(s.scalars(select(Title.work_id).where(Title.text == "GIGANTE")))
    assert len(placeholder_works) > 1
    assert len(records) == len(placeholder_works), "one source record per placeholder work"
    assert gigante <= placeholder_works
