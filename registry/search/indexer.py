"""Index works in bulk: after each commit, from the outbox, or as a zero-downtime rebuild."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from elasticsearch import helpers
from sqlalchemy import delete, func, select

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.models import IndexOutbox, Work
from registry.models.base import utcnow
from registry.search import management
from registry.search.client import search_errors
from registry.search.documents import work_document, works_with_facts

log = logging.getLogger(__name__)
CHUNK = 500


@dataclass
class IndexStatus:
    """How the index compares with the database."""

    alias: str
    indices: list[str]
    documents: int | None
    works: int
    pending: int
    reachable: bool

    @property
    def in_sync(self) -> bool:
        """Tell whether the index holds exactly the live works and nothing waits."""
        return self.reachable and self.documents == self.works and self.pending == 0


def _actions(registry: Registry, work_ids: Iterable[int], index: str) -> Iterator[dict[str, Any]]:
    """Yield one bulk action per work: index live works, delete tombstoned ones."""
    ids = sorted(set(work_ids))
    with registry.sessions() as session:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            works = session.scalars(works_with_facts().where(Work.id.in_(chunk))).all()
            found = {w.id for w in works}
            for work in works:
                yield _action(work, index)
            for missing in set(chunk) - found:
                yield {"_op_type": "delete", "_index": index, "_id": str(missing)}


def _action(work: Work, index: str) -> dict[str, Any]:
    """Return the versioned bulk action of one work."""
    base = {
        "_index": index,
        "_id": str(work.id),
        "version": work.version,
        "version_type": "external_gte",
    }
    if work.deleted:
        return {**base, "_op_type": "delete"}
    return {**base, "_op_type": "index", "_source": work_document(work)}


def _bulk(registry: Registry, actions: Iterable[dict[str, Any]]) -> int:
    """Send actions in bulk; stale versions and missing deletes are not failures."""
    done = 0
    with search_errors():
        for ok, item in helpers.streaming_bulk(
            registry.search,
            actions,
            chunk_size=CHUNK,
            raise_on_error=False,
            raise_on_exception=True,
            max_retries=2,
        ):
            result = next(iter(item.values()))
            status = result.get("status", 500)
            if ok or status in (404, 409):
                done += 1
            else:
                raise RuntimeError(
                    f"indexing work {result.get('_id')} failed: {result.get('error')}"
                )
    return done


def index_works(registry: Registry, work_ids: Iterable[int]) -> int:
    """Index the given works into the alias and clear their outbox entries."""
    ids = set(work_ids)
    if not ids:
        return 0
    alias = management.alias_name(registry.index_prefix)
    with search_errors():
        management.ensure_index(registry.search, registry.index_prefix)
    with registry.sessions() as session:
        high = session.scalar(select(func.max(IndexOutbox.id)).where(IndexOutbox.work_id.in_(ids)))
    done = _bulk(registry, _actions(registry, ids, alias))
    if high is not None:
        _clear_outbox(registry, ids, high)
    return done


def _clear_outbox(registry: Registry, ids: set[int], up_to: int) -> None:
    """Remove outbox entries of indexed works up to a known id."""
    with registry.sessions() as session:
        id_list = sorted(ids)
        for start in range(0, len(id_list), CHUNK):
            part = id_list[start : start + CHUNK]
            session.execute(
                delete(IndexOutbox).where(IndexOutbox.work_id.in_(part), IndexOutbox.id <= up_to)
            )
        session.commit()


def pending_count(registry: Registry) -> int:
    """Return how many works wait in the outbox."""
    with registry.sessions() as session:
        return session.scalar(select(func.count(func.distinct(IndexOutbox.work_id)))) or 0


def index_after_commit(registry: Registry, work_ids: Iterable[int]) -> tuple[int, int]:
    """Index works just committed; if search is down, leave them in the outbox."""
    try:
        return index_works(registry, work_ids), pending_count(registry)
    except SearchUnavailable as exc:
        log.warning("search unavailable, %s works stay in the outbox: %s", len(set(work_ids)), exc)
        return 0, pending_count(registry)


def sync(registry: Registry, batch: int = 5000) -> int:
    """Drain the outbox: index every work waiting in it."""
    total = 0
    while True:
        with registry.sessions() as session:
            ids = session.scalars(
                select(IndexOutbox.work_id).distinct().order_by(IndexOutbox.work_id).limit(batch)
            ).all()
        if not ids:
            return total
        total += index_works(registry, ids)


def _all_work_ids(registry: Registry, since: datetime | None = None) -> Iterator[int]:
    """Stream the ids of works (changed since a time, when given)."""
    with registry.sessions() as session:
        stmt = select(Work.id).order_by(Work.id)
        if since is not None:
            stmt = stmt.where(Work.updated_at >= since)
        yield from session.scalars(stmt.execution_options(yield_per=CHUNK))


def rebuild(registry: Registry) -> dict[str, Any]:
    """Build a new index from the database, swap the alias atomically, drop the old index."""
    client = registry.search
    alias = management.alias_name(registry.index_prefix)
    started = utcnow()
    new_index = management.new_index_name(registry.index_prefix)
    with search_errors():
        management.create_index(client, new_index, bulk_load=True)
    try:
        count = 0
        ids = _all_work_ids(registry)
        while chunk := list(islice(ids, CHUNK * 4)):
            count += _bulk(registry, _actions(registry, chunk, new_index))
        with search_errors():
            management.finish_bulk_load(client, new_index)
            old = management.swap_alias(client, alias, new_index)
    except BaseException:
        management.delete_indices(client, [new_index])
        raise
    caught_up = index_works(registry, _all_work_ids(registry, since=started))
    with search_errors():
        management.delete_indices(client, old)
    return {"index": new_index, "documents": count, "caught_up": caught_up, "removed": old}


def status(registry: Registry) -> IndexStatus:
    """Compare the index with the database."""
    alias = management.alias_name(registry.index_prefix)
    with registry.sessions() as session:
        works = session.scalar(select(func.count()).select_from(Work).where(~Work.deleted)) or 0
    pending = pending_count(registry)
    try:
        with search_errors():
            indices = management.current_indices(registry.search, alias)
            documents = registry.search.count(index=alias)["count"] if indices else 0
    except SearchUnavailable:
        return IndexStatus(alias, [], None, works, pending, False)
    return IndexStatus(alias, indices, documents, works, pending, True)
