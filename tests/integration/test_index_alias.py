"""The alias always names exactly one index, even when processes race on a fresh node."""

from __future__ import annotations

import multiprocessing
import threading
import uuid

import pytest

from registry.search import indexer, management
from registry.search.client import make_client
from registry.search.rebuild_lock import RebuildRunning, rebuild_lock
from tests.conftest import RUN_PREFIX
from tests.helpers import write_aggregates


def _ensure(url: str, prefix: str, barrier, results) -> None:  # noqa: ANN001
    """Wait for the others, then make sure the alias exists."""
    client = make_client(url)
    try:
        barrier.wait(timeout=30)
        results.append(management.ensure_index(client, prefix))
    finally:
        client.close()


@pytest.mark.parametrize("round_no", range(2))
def test_processes_starting_together_share_one_index(es_url, round_no):
    prefix = f"{RUN_PREFIX}race{round_no}-{uuid.uuid4().hex[:4]}-"
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier, results = manager.Barrier(4), manager.list()
        procs = [
            context.Process(target=_ensure, args=(es_url, prefix, barrier, results))
            for _ in range(4)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(timeout=60)
        chosen = list(results)
    client = make_client(es_url)
    try:
        behind = management.current_indices(client, management.alias_name(prefix))
        assert len(chosen) == 4 and len(set(chosen)) == 1
        assert behind == [chosen[0]]
    finally:
        management.delete_prefix(client, prefix)
        client.close()


def test_threads_starting_together_share_one_index(es_url):
    prefix = f"{RUN_PREFIX}threads-{uuid.uuid4().hex[:4]}-"
    client = make_client(es_url)
    barrier, results = threading.Barrier(6), []

    def run() -> None:
        barrier.wait(timeout=30)
        results.append(management.ensure_index(client, prefix))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert len(results) == 6 and len(set(results)) == 1
        assert management.current_indices(client, management.alias_name(prefix)) == results[:1]
    finally:
        management.delete_prefix(client, prefix)
        client.close()


def test_an_alias_on_two_indices_is_repaired(search_registry):
    client, prefix = search_registry.search, search_registry.index_prefix
    alias = management.alias_name(prefix)
    first = management.current_indices(client, alias)[0]
    second = management.new_index_name(prefix)
    management.create_index(client, second, alias=alias)
    assert sorted(management.current_indices(client, alias)) == sorted([first, second])

    kept = management.ensure_index(client, prefix)
    assert management.current_indices(client, alias) == [kept]
    ids = write_aggregates(search_registry, [("a", {"titles": [{"text": "Uma obra"}]})])
    assert indexer.index_works(search_registry, ids) == 1


def test_swap_drops_an_index_another_process_added(search_registry):
    client, prefix = search_registry.search, search_registry.index_prefix
    alias = management.alias_name(prefix)
    stray = management.new_index_name(prefix)
    management.create_index(client, stray, alias=alias)
    target = management.new_index_name(prefix) + "x"
    management.create_index(client, target)
    management.swap_alias(client, alias, target)
    assert management.current_indices(client, alias) == [target]


def test_a_second_rebuild_is_refused_while_one_runs(search_registry):
    write_aggregates(search_registry, [("a", {"titles": [{"text": "Uma obra"}]})])
    busy = pytest.raises(RebuildRunning, match="another `registry index rebuild`")
    with rebuild_lock(search_registry.engine, search_registry.index_prefix), busy:
        indexer.rebuild(search_registry)
    assert indexer.rebuild(search_registry)["documents"] == 1


def test_rebuilds_of_other_aliases_do_not_wait(search_registry):
    with rebuild_lock(search_registry.engine, "someone-else-"):
        assert indexer.rebuild(search_registry)["documents"] == 0
