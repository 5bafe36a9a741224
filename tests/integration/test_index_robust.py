"""A work the node refuses goes to the dead-letter list; the rest of the outbox goes on."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from registry.cli.index import index as index_cli
from registry.models import IndexDeadLetter, IndexOutbox
from registry.search import indexer, management
from tests.conftest import TEST_DATA
from tests.helpers import write_aggregates

LONG = "Longa " * 6667  # 40,002 characters: beyond Lucene's 32,766-byte term limit


def _simple(n: int) -> list[tuple[str, dict]]:
    """Return n aggregates with distinct titles."""
    return [
        (f"r{i}", {"titles": [{"text": f"Obra {i}", "language": "pt"}], "work_type": "movie"})
        for i in range(n)
    ]


def _lengthen_title(registry, work_id: int, title: str) -> None:
    """Write a title straight into the database, as a new version waiting in the outbox."""
    with registry.engine.begin() as conn:
        conn.execute(
            text("UPDATE title SET text = :t, text_folded = :f WHERE work_id = :w"),
            {"t": title, "f": title.lower(), "w": work_id},
        )
        conn.execute(text("UPDATE work SET version = version + 1 WHERE id = :w"), {"w": work_id})
        conn.execute(text("INSERT INTO index_outbox (work_id, created_at) VALUES (:w, :now)"), {
            "w": work_id, "now": "2026-12-03 00:00:00",
        })  # fmt: skip


def _use_v1_index(registry) -> str:
    """Put the alias on an index built with the first mapping (no ignore_above)."""
    client = registry.search
    alias = management.alias_name(registry.index_prefix)
    old = management.current_indices(client, alias)
    body = management.load_mapping("works", "v1")
    index = f"{alias}-v1-00000000000000-legacy"
    client.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
    management.swap_alias(client, alias, index)
    management.delete_indices(client, old)
    return index


def _source(registry, work_id: int) -> dict | None:
    """Return the indexed document of a work, or None."""
    alias = management.alias_name(registry.index_prefix)
    found = registry.search.options(ignore_status=404).get(index=alias, id=str(work_id))
    return found.get("_source") if found.get("found") else None


def test_long_title_is_indexed_with_the_current_mapping(search_registry):
    ids = write_aggregates(search_registry, _simple(3))
    _lengthen_title(search_registry, ids[1], LONG)
    assert indexer.sync(search_registry) == 3
    doc = _source(search_registry, ids[1])
    assert doc is not None and doc["display_title"] == LONG
    status = indexer.status(search_registry)
    assert status.refused == 0 and status.pending == 0


def test_refused_work_goes_to_dead_letters_and_the_rest_goes_on(search_registry):
    ids = write_aggregates(search_registry, _simple(5))
    _use_v1_index(search_registry)
    _lengthen_title(search_registry, ids[2], LONG)

    assert indexer.sync(search_registry) == 4
    management.refresh(search_registry.search, search_registry.index_prefix)
    status = indexer.status(search_registry)
    assert status.pending == 0
    assert status.refused == 1 and status.documents == 4 and not status.in_sync
    letter = status.latest_refused[0]
    assert letter.work_id == ids[2] and letter.status == 400
    assert "display_title" in letter.reason or "immense term" in letter.reason.lower()
    assert not status.mapping_current

    settings = search_registry.settings
    env = {
        "REGISTRY_DATABASE_URL": settings.database_url,
        "REGISTRY_INDEX_PREFIX": settings.index_prefix,
        "REGISTRY_ELASTICSEARCH_URL": settings.elasticsearch_url,
    }
    shown = CliRunner().invoke(index_cli, ["status"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "refused:   1" in shown.output and f"work {ids[2]} (version" in shown.output
    assert "run `registry index rebuild`" in shown.output

    # Nothing changed: another sync leaves it refused and indexes nothing.
    assert indexer.sync(search_registry) == 0
    with search_registry.sessions() as session:
        attempts = session.scalar(select(IndexDeadLetter.attempts))
    assert attempts == 1

    # The work changes: sync retries it, it is taken, and it leaves the list.
    _lengthen_title(search_registry, ids[2], "Obra corrigida")
    with search_registry.sessions() as session:
        session.execute(IndexOutbox.__table__.delete())
        session.commit()
    assert indexer.sync(search_registry) == 1
    assert _source(search_registry, ids[2])["display_title"] == "Obra corrigida"
    assert indexer.status(search_registry).refused == 0


def test_rebuild_moves_to_the_current_mapping_and_clears_dead_letters(search_registry):
    ids = write_aggregates(search_registry, _simple(4))
    legacy = _use_v1_index(search_registry)
    _lengthen_title(search_registry, ids[0], LONG)
    indexer.sync(search_registry)
    assert indexer.status(search_registry).refused == 1

    result = indexer.rebuild(search_registry)
    assert result["documents"] == 4 and result["refused"] == 0
    assert result["removed"] == [legacy]
    status = indexer.status(search_registry)
    assert status.in_sync and status.mapping == management.MAPPING_VERSION
    assert _source(search_registry, ids[0])["display_title"] == LONG


def test_refused_works_in_a_rebuild_are_kept(search_registry, monkeypatch):
    ids = write_aggregates(search_registry, _simple(3))
    monkeypatch.setattr(management, "load_mapping", lambda *a, **k: _v1_mapping())
    _lengthen_title(search_registry, ids[1], LONG)
    result = indexer.rebuild(search_registry)
    assert result["documents"] == 2 and result["refused"] == 1
    with search_registry.sessions() as session:
        assert session.scalar(select(IndexDeadLetter.work_id)) == ids[1]
        assert session.scalar(select(func.count()).select_from(IndexOutbox)) == 0


def _v1_mapping() -> dict:
    """Return the first mapping, read from the repository."""
    path = TEST_DATA.parents[1] / "registry" / "search" / "mappings" / "works-v1.json"
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("workers", [0, 2])
def test_rebuild_documents_match_incremental_ones(search_registry, monkeypatch, workers):
    complete = json.loads((TEST_DATA / "aggregates" / "complete.json").read_text("utf-8"))
    ids = write_aggregates(search_registry, [("complete", complete), *_simple(12)])
    indexer.index_works(search_registry, ids)
    before = {i: _source(search_registry, i) for i in ids}

    from registry.search import builders

    monkeypatch.setattr(builders, "PAGE", 5)
    result = indexer.rebuild(search_registry, workers=workers)
    assert result["documents"] == 13
    after = {i: _source(search_registry, i) for i in ids}
    assert after == before
    doc = after[ids[0]]
    assert doc["display_title"] == "5 CASAS" and doc["title_sort"] == "5 casas"
    assert doc["is_coproduction"] and doc["coproduction_countries"] == ["BR", "DE"]
    assert doc["people_folded"] == [
        "diretora exemplo",
        "plataforma exemplo sa",
        "produtora exemplo ltda",
    ]
    assert doc["licenses"][0]["licensee_name"] == "Plataforma Exemplo SA"
    assert doc["media"] == ["svod"] and len(doc["party_ids"]) == 3


def test_deleted_work_leaves_the_index(search_registry):
    ids = write_aggregates(search_registry, _simple(2))
    indexer.index_works(search_registry, ids)
    with search_registry.engine.begin() as conn:
        conn.execute(
            text("UPDATE work SET deleted = :t, version = version + 1 WHERE id = :w"),
            {"t": True, "w": ids[0]},
        )
    indexer.index_works(search_registry, [ids[0], 999_999])
    assert _source(search_registry, ids[0]) is None
    assert _source(search_registry, ids[1]) is not None


def test_documents_are_built_in_process_beside_a_local_node(registry, monkeypatch):
    from dataclasses import replace

    from registry.context import Registry
    from registry.search import builders

    assert builders.default_workers(registry) == 0
    remote = Registry(replace(registry.settings, elasticsearch_url="http://search.example:9200"))
    assert builders.default_workers(remote) == 0
    monkeypatch.setattr(builders, "PROCESS_THRESHOLD", 0)
    assert builders.default_workers(remote) == builders.WORKERS
    assert builders.default_workers(registry) == 0


def test_a_work_with_more_nested_facts_than_the_node_takes_is_indexed_and_found(search_registry):
    from registry.models import License, SourceRecord

    licence = {"media": ["svod"], "territories": ["BR"], "start": "2026-01-01"}
    aggregate = {**_simple(1)[0][1], "licenses": [licence]}
    [work_id] = write_aggregates(search_registry, [("big", aggregate)])
    countries = ["AR", "BR", "CL", "MX", "PE", "UY"]
    with search_registry.sessions() as session:
        record_id = session.scalar(select(SourceRecord.id).where(SourceRecord.work_id == work_id))
        stored = session.scalar(select(License).where(License.work_id == work_id))
        rows = [
            {"work_id": work_id, "source_record_id": record_id, "media": ["svod"],
             "territories": [countries[n % 6]], "languages": [], "start": stored.start,
             "status": stored.status, "terms": {}}
            for n in range(10_500)
        ]  # fmt: skip
        rows[-1]["territories"] = ["ZW"]
        rows[-2] = {**rows[-2], "media": ["tvod"], "territories": ["EC"]}
        session.execute(License.__table__.insert(), rows)
        session.commit()

    assert indexer.index_works(search_registry, [work_id]) == 1
    management.refresh(search_registry.search, search_registry.index_prefix)
    assert indexer.status(search_registry).refused == 0
    doc = _source(search_registry, work_id)
    assert len(doc["licenses"]) == 2, "licences apart only in territory are one nested object"

    def found(media: str, territory: str) -> int:
        clauses = [
            {"term": {"licenses.media": media}},
            {"term": {"licenses.territories": territory}},
        ]
        query = {"nested": {"path": "licenses", "query": {"bool": {"filter": clauses}}}}
        alias = management.alias_name(search_registry.index_prefix)
        return search_registry.search.count(index=alias, query=query)["count"]

    assert found("svod", "ZW") == 1 and found("svod", "UY") == 1 and found("tvod", "EC") == 1
    assert found("tvod", "UY") == 0, "no medium is paired with another licence's territory"
