"""Import ACAU award rows through the pipeline into a real database."""

from __future__ import annotations

from sqlalchemy import func, select

from registry.models import (
    CoProduction,
    Identifier,
    Party,
    PartyIdentifier,
    Rejection,
    SourceRecord,
    Work,
)
from registry.services.imports import run_import
from tests.conftest import TEST_DATA, reference_file

SAMPLE = TEST_DATA / "acau" / "acau-awards-sample.csv"
REFERENCE = "acau/acau-apoios-reembolsos-projetos-audiovisuais-2013-2024.csv"


def _work(session, project: str) -> Work:
    """Return the work of an ACAU project id."""
    work_id = session.scalars(
        select(Identifier.work_id).where(
            Identifier.scheme == "uy_acau", Identifier.value == project
        )
    ).first()
    return session.get(Work, work_id)


def _count(session, model) -> int:
    """Return the number of rows of a model."""
    return session.scalar(select(func.count()).select_from(model))


def test_sample_imports_one_record_per_award_and_reimports_unchanged(registry):
    report = run_import(registry, SAMPLE)
    assert report.source_format == "acau-csv" and report.agency == "UY-ACAU"
    assert report.counts == {
        "read": 25,
        "created": 24,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "rejected": 1,
    }
    again = run_import(registry, SAMPLE)
    assert again.counts["unchanged"] == 24 and again.counts["rejected"] == 1
    with registry.sessions() as s:
        assert _count(s, SourceRecord) == 24
        assert _count(s, Work) == 19
        [rejection] = s.scalars(select(Rejection).where(Rejection.batch_id == report.batch_id))
        assert rejection.locator == "line 8"
        assert "not an audiovisual work" in rejection.errors["formato"][0]


def test_la_masajista_after_import(registry):
    run_import(registry, SAMPLE)
    with registry.sessions() as s:
        work = _work(s, "T0389")
        assert work.work_type == "short" and not work.incomplete
        assert {t.text for t in work.titles} == {"La Masajista"}
        assert len(work.sources) == 3
        companies = {
            (c.party.name, c.party.kind)
            for c in work.contributions
            if c.role == "production_company"
        }
        assert companies == {
            ("Nadador Cine SRL", "organization"),
            ("GUIDALI LAMELA LUCIA", "organization"),
        }
        coproductions = s.scalars(select(CoProduction).where(CoProduction.work_id == work.id))
        assert {(c.country, c.role) for c in coproductions} == {("UY", "sole")}
        [party_id] = s.scalars(
            select(PartyIdentifier.party_id).where(
                PartyIdentifier.scheme == "uy_rut", PartyIdentifier.value == "217926260011"
            )
        ).all()
        assert s.get(Party, party_id).name == "Nadador Cine SRL"


def test_company_rows_of_several_projects_resolve_to_one_party(registry):
    run_import(registry, SAMPLE)
    with registry.sessions() as s:
        names = s.scalars(select(Party.name).where(Party.name == "Nadador Cine SRL")).all()
        assert names == ["Nadador Cine SRL"]
        stored = " ".join(s.scalars(select(SourceRecord.payload)))
        assert "12345672" not in stored and "45678902" not in stored
        assert _count(s, PartyIdentifier) == len(set(s.scalars(select(PartyIdentifier.value))))


def test_full_reference_file(registry):
    path = reference_file(REFERENCE)
    report = run_import(registry, path)
    assert report.counts == {
        "read": 1649,
        "created": 1645,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "rejected": 4,
    }
    assert {r["locator"] for r in report.rejections} == {
        "line 291",
        "line 292",
        "line 709",
        "line 1567",
    }
    again = run_import(registry, path)
    assert again.counts["unchanged"] == 1645 and again.counts["created"] == 0
    with registry.sessions() as s:
        assert _count(s, Work) == 862
        whisky = _work(s, "T0850")
        assert whisky.work_type == "movie" and len(whisky.sources) == 2
        personal = s.scalars(
            select(SourceRecord.payload).where(SourceRecord.payload.contains("[withheld]"))
        ).all()
        assert len(personal) == 73
