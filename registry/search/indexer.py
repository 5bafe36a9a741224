"""Index works in bulk: after each commit, from the outbox, or as a zero-downtime rebuild."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from elasticsearch import helpers
from sqlalchemy import delete, func, select

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.models import IndexOutbox, Work
from registry.models.base import utcnow
from registry.search import dead_letters, management
from registry.search.builders import (
    Outcome,
    Pair,
    action_meta,
    all_pairs,
    bulk_pairs,
    fewer_collections,
)
from registry.search.client import search_errors
from registry.search.documents import WorkEntry, load_entries
from registry.search.rebuild_lock import rebuild_lock
from registry.search.status import IndexStatus, pending_count, status

log = logging.getLogger(__name__)
CHUNK = 500
BULK_DOCS = 1000
THREADS = 2
BULK_TIMEOUT = 120
RETRIES = 3
TRANSIENT = {429, 500, 502, 503, 504}

__all__ = ["IndexStatus", "index_after_commit", "index_works", "rebuild", "status", "sync"]


def send(registry: Registry, pairs: Iterable[Pair], outcome: Outcome | None = None) -> Outcome:
    """Send pairs with parallel_bulk; refusals are collected, transient failures retried."""
    outcome = outcome or Outcome()
    pending: Iterable[Pair] = pairs
    for attempt in range(RETRIES + 1):
        retry = _send_once(registry, pending, outcome)
        if not retry:
            return outcome
        if attempt == RETRIES:
            break
        time.sleep(2**attempt)
        pending = retry
    raise SearchUnavailable(f"search is unavailable: {len(retry)} works still refused for load")


def _send_once(registry: Registry, pairs: Iterable[Pair], outcome: Outcome) -> list[Pair]:
    """Send pairs once; return those refused for a transient reason (overload)."""
    in_flight: deque[Pair] = deque()

    def tracked() -> Iterator[Pair]:
        for pair in pairs:
            in_flight.append(pair)
            yield pair

    retry: list[Pair] = []
    client = registry.search.options(request_timeout=BULK_TIMEOUT)
    with search_errors():
        for ok, item in helpers.parallel_bulk(
            client,
            tracked(),
            thread_count=THREADS,
            chunk_size=BULK_DOCS,
            queue_size=THREADS * 2,
            raise_on_error=False,
            raise_on_exception=True,
            expand_action_callback=lambda pair: pair,
        ):
            pair = in_flight.popleft()
            result = next(iter(item.values()))
            status = int(result.get("status") or 500)
            if ok or status in (404, 409):
                outcome.done += 1
            elif status in TRANSIENT:
                retry.append(pair)
            else:
                meta = action_meta(pair[0])
                work_id = int(result.get("_id") or meta["_id"])
                outcome.refused.append(
                    dead_letters.refusal_from_item(work_id, meta.get("version"), result)
                )
    return retry


def _entries(registry: Registry, ids: list[int]) -> Iterator[WorkEntry]:
    """Yield the entries of the given works, a chunk of set queries at a time."""
    for start in range(0, len(ids), CHUNK):
        with registry.sessions() as session:
            yield from load_entries(session, ids[start : start + CHUNK])


def index_works(registry: Registry, work_ids: Iterable[int]) -> int:
    """Index the given works into the alias, keep refusals, and clear their outbox entries."""
    ids = sorted(set(work_ids))
    if not ids:
        return 0
    high = _outbox_high(registry, ids)
    outcome = send_works(registry, ids)
    settle(registry, ids, high, outcome)
    return outcome.done


def send_works(registry: Registry, ids: list[int]) -> Outcome:
    """Send the documents of the given works to the alias; write nothing to the database."""
    alias = management.alias_name(registry.index_prefix)
    with search_errors():
        management.ensure_index(registry.search, registry.index_prefix)
    outcome = Outcome()
    with fewer_collections():
        send(registry, bulk_pairs(_entries(registry, ids), alias, outcome), outcome)
    for refusal in outcome.refused:
        log.warning("search refused work %s: %s", refusal.work_id, refusal.reason[:300])
    return outcome


def settle(registry: Registry, ids: list[int], high: int | None, outcome: Outcome) -> None:
    """Clear the outbox of sent works up to an entry and keep what the node refused."""
    refused = {r.work_id for r in outcome.refused}
    with registry.sessions() as session:  # writes first: SQLite takes its lock up front
        if high is not None:
            _clear_outbox(session, ids, high)
        dead_letters.clear(session, [i for i in ids if i not in refused])
        dead_letters.record(session, outcome.refused)
        session.commit()


def _outbox_high(registry: Registry, ids: list[int]) -> int | None:
    """Return the newest outbox entry of the given works, looked up a chunk at a time."""
    highs = []
    with registry.sessions() as session:
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            stmt = select(func.max(IndexOutbox.id)).where(IndexOutbox.work_id.in_(part))
            highs.append(session.scalar(stmt))
    return max((h for h in highs if h is not None), default=None)


def _clear_outbox(session: Any, ids: list[int], up_to: int) -> None:
    """Remove outbox entries of handled works up to a known id."""
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        session.execute(
            delete(IndexOutbox).where(IndexOutbox.work_id.in_(part), IndexOutbox.id <= up_to)
        )


def index_after_commit(registry: Registry, work_ids: Iterable[int]) -> tuple[int, int]:
    """Index works just committed; if search is down, leave them in the outbox."""
    try:
        return index_works(registry, work_ids), pending_count(registry)
    except SearchUnavailable as exc:
        log.warning("search unavailable, %s works stay in the outbox: %s", len(set(work_ids)), exc)
        return 0, pending_count(registry)


def sync(registry: Registry, batch: int = 5000) -> int:
    """Drain the outbox, then retry refused works that changed since they were refused."""
    total = 0
    while True:
        with registry.sessions() as session:
            ids = session.scalars(
                select(IndexOutbox.work_id).distinct().order_by(IndexOutbox.work_id).limit(batch)
            ).all()
        if not ids:
            break
        total += index_works(registry, ids)
    with registry.sessions() as session:
        retry = dead_letters.changed(session)
    return total + index_works(registry, retry)


def _work_ids(registry: Registry, since: datetime | None = None) -> Iterator[int]:
    """Stream the ids of works (changed since a time, when given)."""
    with registry.sessions() as session:
        stmt = select(Work.id).order_by(Work.id)
        if since is not None:
            stmt = stmt.where(Work.updated_at >= since)
        yield from session.scalars(stmt.execution_options(yield_per=CHUNK))


def _bulk(registry: Registry, index: str, workers: int | None = None) -> Outcome:
    """Load every work into a new index."""
    outcome = Outcome()
    with fewer_collections():
        return send(registry, all_pairs(registry, index, outcome, workers), outcome)


def rebuild(registry: Registry, workers: int | None = None) -> dict[str, Any]:
    """Build a new index from the database, swap the alias atomically, drop the old index.

    workers: processes building documents (default: builders.default_workers).
    """
    with rebuild_lock(registry.engine, registry.index_prefix):
        return _rebuild(registry, workers)


def _rebuild(registry: Registry, workers: int | None) -> dict[str, Any]:
    """Rebuild while holding the lock."""
    client = registry.search
    alias = management.alias_name(registry.index_prefix)
    started = utcnow()
    with registry.sessions() as session:
        outbox_high = session.scalar(select(func.max(IndexOutbox.id)))
    new_index = management.new_index_name(registry.index_prefix)
    with search_errors():
        management.create_index(client, new_index, bulk_load=True)
    try:
        outcome = _bulk(registry, new_index, workers)
        with search_errors():
            management.finish_bulk_load(client, new_index)
            old = management.swap_alias(client, alias, new_index)
    except BaseException:
        management.delete_indices(client, [new_index])
        raise
    with registry.sessions() as session:
        dead_letters.keep_only(session, outcome.refused)
        if outbox_high is not None:
            session.execute(delete(IndexOutbox).where(IndexOutbox.id <= outbox_high))
        session.commit()
    caught_up = index_works(registry, _work_ids(registry, since=started))
    with search_errors():
        management.delete_indices(client, old)
    return {
        "index": new_index,
        "documents": outcome.done,
        "refused": len(outcome.refused),
        "caught_up": caught_up,
        "removed": old,
    }
