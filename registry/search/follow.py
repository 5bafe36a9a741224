"""Index an import's works while it runs, reading only, so its writes never wait on ours."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import delete, select

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.models import IndexOutbox
from registry.search import indexer
from registry.search.builders import Outcome

log = logging.getLogger(__name__)
BATCH = 5000
CHUNK = 500


def follow(registry: Registry, running: Callable[[], bool], pause: float = 1.0) -> int:
    """Index new outbox entries while running() holds, then clear them and drain the rest.

    While the import writes, this only reads the outbox (entries past a cursor) and sends
    documents: on SQLite a second writer would make the import's transactions fail. Once the
    import has ended, the entries it saw are cleared and refusals kept in one transaction;
    entries it never saw (committed out of id order) are left to the final sync.
    """
    cursor, seen, sent, outcome = 0, list[int](), set[int](), Outcome()
    while running():
        try:
            moved = _round(registry, cursor, seen, sent, outcome)
        except SearchUnavailable as exc:
            log.info("search unavailable while following an import: %s", exc)
            moved = None
        if moved is None:
            time.sleep(pause)
        else:
            cursor = moved
    if seen:
        indexer.settle(registry, sorted(sent), None, outcome)
        with registry.sessions() as session:
            for start in range(0, len(seen), CHUNK):
                part = seen[start : start + CHUNK]
                session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(part)))
            session.commit()
    return outcome.done + indexer.sync(registry)


def _round(
    registry: Registry, cursor: int, seen: list[int], sent: set[int], outcome: Outcome
) -> int | None:
    """Send the works of the entries past the cursor; return the new cursor, None when idle."""
    with registry.sessions() as session:
        rows = session.execute(
            select(IndexOutbox.id, IndexOutbox.work_id)
            .where(IndexOutbox.id > cursor)
            .order_by(IndexOutbox.id)
            .limit(BATCH)
        ).all()
    if not rows:
        return None
    ids = sorted({work_id for _entry, work_id in rows})
    done = indexer.send_works(registry, ids)
    outcome.done += done.done
    outcome.refused.extend(done.refused)
    sent.update(ids)
    seen.extend(entry for entry, _work in rows)
    return rows[-1][0]
