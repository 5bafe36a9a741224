"""Zero-downtime rebuild: searches keep answering while the alias moves to a new index."""

from __future__ import annotations

import threading

import pytest

from registry.search import indexer, management
from registry.services.search import search_works
from tests.helpers import write_aggregates


def _works(n: int) -> list[tuple[str, dict]]:
    """Return n simple aggregates with distinct titles."""
    return [
        (
            f"k{i}",
            {
                "titles": [{"text": f"Película número {i}", "language": "es"}],
                "work_type": "movie",
                "year": 1950 + i % 70,
                "countries_of_origin": ["AR" if i % 2 else "BR"],
            },
        )
        for i in range(n)
    ]


def test_rebuild_while_searching(search_registry):
    ids = write_aggregates(search_registry, _works(400))
    indexer.index_works(search_registry, ids)
    alias = management.alias_name(search_registry.index_prefix)
    management.refresh(search_registry.search, search_registry.index_prefix)
    old = management.current_indices(search_registry.search, alias)

    failures: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def searching() -> None:
        for _ in range(5000):
            if stop.is_set():
                return
            try:
                totals.append(search_works(search_registry, {"q": "pelicula", "size": 5})["total"])
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)

    thread = threading.Thread(target=searching)
    thread.start()
    try:
        result = indexer.rebuild(search_registry)
    finally:
        stop.set()
        thread.join(timeout=60)

    assert not failures, failures[:3]
    assert totals and min(totals) == 400
    new = management.current_indices(search_registry.search, alias)
    assert new == [result["index"]] and new != old
    assert not search_registry.search.indices.exists(index=old[0])
    assert result["documents"] == 400
    status = indexer.status(search_registry)
    assert status.in_sync and status.documents == 400


def test_failed_rebuild_keeps_the_old_index(search_registry, monkeypatch):
    ids = write_aggregates(search_registry, _works(10))
    indexer.index_works(search_registry, ids)
    alias = management.alias_name(search_registry.index_prefix)
    old = management.current_indices(search_registry.search, alias)

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated failure while loading")

    monkeypatch.setattr(indexer, "_bulk", broken)
    with pytest.raises(RuntimeError, match="simulated failure"):
        indexer.rebuild(search_registry)
    assert management.current_indices(search_registry.search, alias) == old
    leftovers = search_registry.search.indices.get(index=f"{search_registry.index_prefix}*")
    assert sorted(leftovers) == old
