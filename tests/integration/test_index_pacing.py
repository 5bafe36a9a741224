"""An import's works reach the index once per file when every chunk touches them."""

from __future__ import annotations

import json
from dataclasses import replace

from registry.context import Registry
from registry.search import indexer, management
from registry.services.imports import run_import


def _records(count: int) -> list[str]:
    """Return exchange lines whose records all name one identifier, so they share one work."""
    lines = []
    for n in range(count):
        work = {
            "work_type": "movie",
            "titles": [{"text": f"Obra {n}", "language": "pt"}],
            "identifiers": [{"scheme": "proprietary:test", "value": "SHARED-1"}],
        }
        if n == count - 1:
            work["titles"].append({"text": "A última", "language": "pt"})
        envelope = {"format": "av-registry-exchange/1", "key": f"K{n}", "work": work}
        lines.append(json.dumps(envelope, ensure_ascii=False))
    return lines


def test_a_work_every_chunk_touches_is_sent_once_and_ends_up_current(search_registry, tmp_path):
    reg = Registry(replace(search_registry.settings, import_batch_size=3, import_workers=0))
    path = tmp_path / "shared.jsonl"
    path.write_text("\n".join(_records(12)) + "\n", "utf-8")
    sent: list[set[int]] = []

    def index(ids: set[int]) -> tuple[int, int]:
        sent.append(set(ids))
        return indexer.index_after_commit(reg, ids)

    report = run_import(reg, path, "exchange-jsonl", agency="AR-INCAA", after_commit=index)
    assert report.reconciles() and report.counts["created"] == 12
    [work_id] = {w for ids in sent for w in ids}
    assert [len(ids) for ids in sent] == [1, 1], "after the first chunk, then once at the end"
    assert report.indexed == 2 and report.index_pending == 0
    management.refresh(reg.search, reg.index_prefix)
    alias = management.alias_name(reg.index_prefix)
    document = reg.search.get(index=alias, id=str(work_id))["_source"]
    assert "a ultima" in document["titles_folded"], "the document has the last chunk's title"
    assert indexer.status(reg).in_sync
    reg.close()
