"""Idempotent aggregate writes with provenance, on a real database."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from registry.models import IndexOutbox, Party, SourceRecord, Title, Work
from registry.services.read import work_detail
from schemas.aggregate import WORK_AGGREGATE
from tests.conftest import TEST_DATA
from tests.helpers import write_aggregates


def _complete() -> dict:
    """Return the complete example aggregate."""
    return json.loads((TEST_DATA / "aggregates" / "complete.json").read_text("utf-8"))


def _state(registry) -> tuple:
    """Return the version, record count and record digests of the database."""
    with registry.sessions() as s:
        versions = tuple(s.scalars(select(Work.version).order_by(Work.id)))
        records = tuple(s.scalars(select(SourceRecord.sha256).order_by(SourceRecord.id)))
        return versions, records


def test_loading_the_dump_again_changes_nothing(registry):
    data = _complete()
    [work_id] = write_aggregates(registry, [("k", data)])
    before = _state(registry)
    dumped = WORK_AGGREGATE.dump(WORK_AGGREGATE.load(data))
    write_aggregates(registry, [("k", dumped)])
    assert _state(registry) == before
    with registry.sessions() as s:
        assert s.scalar(select(func.count()).select_from(SourceRecord)) == 1
        assert s.get(Work, work_id).version == before[0][0]


def test_changed_input_updates_and_keeps_one_record(registry):
    data = _complete()
    [work_id] = write_aggregates(registry, [("k", data)])
    data["year"] = 2019
    data["titles"].append({"text": "Cinco Casas", "language": "es", "kind": "translated"})
    write_aggregates(registry, [("k", data)])
    with registry.sessions() as s:
        work = s.get(Work, work_id)
        assert work.year == 2019 and work.version == 2
        assert s.scalar(select(func.count()).select_from(SourceRecord)) == 1
        texts = sorted(s.scalars(select(Title.text).where(Title.work_id == work_id)))
        assert texts == ["5 CASAS", "5 Houses", "Cinco Casas"]
        assert s.scalar(select(func.count(func.distinct(IndexOutbox.work_id)))) == 1


def test_second_source_adds_facts_and_shows_conflicts(registry):
    [work_id] = write_aggregates(registry, [("k", _complete())])
    other = {
        "identifiers": [{"scheme": "br_cpb", "value": "B2000263300000"}],
        "titles": [{"text": "Cinco Casas", "language": "es", "kind": "local", "territory": "AR"}],
        "year": 2018,
    }
    [same] = write_aggregates(registry, [("AR-1", other)], agency="AR-INCAA")
    assert same == work_id
    with registry.sessions() as s:
        detail = work_detail(s, work_id)
    assert detail["year"] == 2020
    sources = {t["text"]: t["source"]["agency"] for t in detail["titles"]}
    assert sources["Cinco Casas"] == "AR-INCAA" and sources["5 CASAS"] == "ZZ-EXCHANGE"
    [conflict] = [c for c in detail["conflicts"] if c["field"] == "year"]
    assert {c["value"] for c in conflict["claims"]} == {"2018", "2020"}


def test_reference_creates_stub_then_registration_completes_it(registry):
    ref = {
        "identifiers": [{"scheme": "br_cpb", "value": "B2000263300000"}],
        "titles": [{"text": "5 CASAS"}],
        "year": 2021,
    }
    with registry.sessions() as s:
        from registry.services.agencies import ensure_agency
        from registry.services.records import SourceInfo
        from registry.services.works import WorkWriter

        ensure_agency(s, "BR-ANCINE")
        writer = WorkWriter(s)
        stub = writer.upsert(
            SourceInfo("BR-ANCINE", "ancine-crt", "1", authoritative=False),
            WORK_AGGREGATE.load(ref),
            "raw",
        ).work_id
        s.commit()
        assert s.get(Work, stub).incomplete is True
    [work_id] = write_aggregates(registry, [("k", _complete())], agency="BR-ANCINE")
    assert work_id == stub
    with registry.sessions() as s:
        work = s.get(Work, work_id)
        assert work.incomplete is False and work.year == 2020


def test_parties_are_shared_by_identifier(registry):
    data = _complete()
    write_aggregates(registry, [("k", data)])
    with registry.sessions() as s:
        names = sorted(s.scalars(select(Party.name)))
    assert names == ["Diretora Exemplo", "Plataforma Exemplo SA", "Produtora Exemplo Ltda"]
