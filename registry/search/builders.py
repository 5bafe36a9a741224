"""Serialise every work's bulk action for a rebuild, in worker processes when it pays."""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import bindparam, func, select

from config import Settings
from registry.context import Registry
from registry.models import Work
from registry.search.dead_letters import Refusal
from registry.search.documents import WorkEntry, load_entries, load_span

PAGE = 500
GC_FIRST_GENERATION = 10_000
PROCESS_THRESHOLD = 20_000
WORKERS = 2
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

Pair = tuple[bytes | dict[str, Any], bytes | None]


@dataclass
class Outcome:
    """What one bulk pass did: works taken by the node and works it refused."""

    done: int = 0
    refused: list[Refusal] = field(default_factory=list)


def bulk_pairs(entries: Iterable[WorkEntry], index: str, outcome: Outcome) -> Iterator[Pair]:
    """Yield (action, serialised document) per work; unserialisable documents are refused.

    Actions are serialised here too, from fixed parts: the bytes orjson gives for the action.
    """
    name = orjson.dumps(index)
    index_head, delete_head = b'{"index":{"_index":' + name, b'{"delete":{"_index":' + name
    for entry in entries:
        meta = b',"_id":"%d"' % entry.work_id
        if entry.version is not None:
            meta += b',"version":%d,"version_type":"external_gte"}}' % entry.version
        else:
            meta += b"}}"
        if entry.document is None:
            yield delete_head + meta, None
            continue
        try:
            body = orjson.dumps(entry.document)
        except (TypeError, orjson.JSONEncodeError) as exc:
            outcome.refused.append(
                Refusal(entry.work_id, entry.version, 0, "serialisation", str(exc)[:2000])
            )
            continue
        yield index_head + meta, body


def action_meta(action: dict[str, Any] | bytes) -> dict[str, Any]:
    """Return the metadata of a bulk action (_index, _id, version), serialised or not."""
    if isinstance(action, bytes | str):
        action = orjson.loads(action)
    return dict(next(iter(action.values())))


@contextmanager
def fewer_collections(first: int = GC_FIRST_GENERATION) -> Iterator[None]:
    """Run the block with the cycle collector's first generation raised, then restore it.

    Building documents allocates millions of short-lived rows and dicts that reference counting
    frees; at the default threshold (700) the collector ran ~3,500 times per 130,000 works, ~30
    of them over every object in the process, about a third of the building time. Blocks may
    overlap in threads: the last one to leave restores the threshold the first one found.
    """
    with _collections_lock:
        if not _collections_users:
            _collections_saved[:] = gc.get_threshold()
            gc.set_threshold(max(first, _collections_saved[0]), *_collections_saved[1:])
        _collections_users.append(first)
    try:
        yield
    finally:
        with _collections_lock:
            _collections_users.pop()
            if not _collections_users:
                gc.set_threshold(*_collections_saved)


_collections_lock = threading.Lock()
_collections_users: list[int] = []
_collections_saved: list[int] = []


def id_pages(registry: Registry, page: int | None = None) -> Iterator[list[int]]:
    """Yield the ids of every work, a page of consecutive ids at a time."""
    query = select(Work.id).where(Work.id > bindparam("last")).order_by(Work.id)
    query = query.limit(page or PAGE)
    last = 0
    while True:
        with registry.engine.connect() as conn:
            ids = list(conn.execute(query, {"last": last}).scalars().all())
        if not ids:
            return
        yield ids
        last = ids[-1]


def default_workers(registry: Registry) -> int:
    """Return how many processes should build documents for a rebuild.

    None when the node runs on this machine: it needs the cores, and building in the sending
    process costs the least CPU in all. Two for a remote node and 20,000 works or more, where
    building is the only work done here.
    """
    host = urlsplit(registry.settings.elasticsearch_url or "http://127.0.0.1").hostname
    if host in LOOPBACK:
        return 0
    with registry.sessions() as session:
        total = session.scalar(select(func.count()).select_from(Work)) or 0
    return WORKERS if total >= PROCESS_THRESHOLD else 0


def all_pairs(
    registry: Registry, index: str, outcome: Outcome, workers: int | None = None
) -> Iterator[Pair]:
    """Yield the bulk pair of every work (built by worker processes when workers > 0)."""
    if workers is None:
        workers = default_workers(registry)
    if workers <= 0:
        for ids in id_pages(registry):
            with registry.engine.begin() as conn:  # one snapshot for the page's queries
                entries = load_span(conn, ids[0], ids[-1])
            yield from bulk_pairs(entries, index, outcome)
        return
    yield from _pairs_from_workers(registry, index, outcome, workers)


def _pairs_from_workers(
    registry: Registry, index: str, outcome: Outcome, workers: int
) -> Iterator[Pair]:
    """Hand pages to worker processes, keeping a few in flight, and yield their pairs in order."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(registry.settings,)
    ) as pool:
        in_flight: deque[Future[tuple[list[Pair], list[Refusal]]]] = deque()
        for ids in id_pages(registry):
            in_flight.append(pool.submit(_build_page, ids, index))
            if len(in_flight) >= workers * 3:
                yield from _take(in_flight.popleft(), outcome)
        while in_flight:
            yield from _take(in_flight.popleft(), outcome)


def _take(future: Future[tuple[list[Pair], list[Refusal]]], outcome: Outcome) -> list[Pair]:
    """Return a page's pairs and keep its refusals."""
    pairs, refused = future.result()
    outcome.refused.extend(refused)
    return pairs


_worker: Registry | None = None


def _start_worker(settings: Settings) -> None:
    """Open the worker's own database connections."""
    global _worker
    _worker = Registry(settings)
    gc.set_threshold(GC_FIRST_GENERATION, *gc.get_threshold()[1:])


def _build_page(ids: list[int], index: str) -> tuple[list[Pair], list[Refusal]]:
    """Build and serialise one page of consecutive works (in a worker process)."""
    assert _worker is not None
    outcome = Outcome()
    with _worker.sessions() as session:
        pairs = list(bulk_pairs(load_entries(session, ids, span=True), index, outcome))
    return pairs, outcome.refused
