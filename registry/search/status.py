"""Compare the search index with the database: documents, works, outbox and refused works."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.models import IndexDeadLetter, IndexOutbox, Work
from registry.search import dead_letters, management
from registry.search.client import search_errors


@dataclass
class IndexStatus:
    """How the index compares with the database."""

    alias: str
    indices: list[str]
    documents: int | None
    works: int
    pending: int
    reachable: bool
    refused: int = 0
    latest_refused: list[IndexDeadLetter] = field(default_factory=list)
    mapping: str | None = None

    @property
    def in_sync(self) -> bool:
        """Tell whether the index holds exactly the live works and nothing waits or failed."""
        return (
            self.reachable
            and self.documents == self.works
            and self.pending == 0
            and self.refused == 0
        )

    @property
    def mapping_current(self) -> bool:
        """Tell whether the index was built with the mapping this version of the code uses."""
        return self.mapping in (None, management.MAPPING_VERSION)


def live_works() -> Select[tuple[int]]:
    """Return a count of works that belong in the index (not deleted, not merged away)."""
    stmt = select(func.count()).select_from(Work).where(~Work.deleted)
    merged = Work.__table__.c.get("merged_into")
    return stmt.where(merged.is_(None)) if merged is not None else stmt


def pending_count(registry: Registry) -> int:
    """Return how many works wait in the outbox."""
    with registry.sessions() as session:
        return session.scalar(select(func.count(func.distinct(IndexOutbox.work_id)))) or 0


def refused_count(registry: Registry) -> int:
    """Return how many works the node refused."""
    with registry.sessions() as session:
        return dead_letters.count(session)


def status(registry: Registry, refused_listed: int = 20) -> IndexStatus:
    """Compare the index with the database."""
    alias = management.alias_name(registry.index_prefix)
    with registry.sessions() as session:
        works = session.scalar(live_works()) or 0
        refused = dead_letters.count(session)
        latest = dead_letters.latest(session, refused_listed)
        session.expunge_all()
    pending = pending_count(registry)
    try:
        with search_errors():
            indices = management.current_indices(registry.search, alias)
            documents = registry.search.count(index=alias)["count"] if indices else 0
    except SearchUnavailable:
        return IndexStatus(alias, [], None, works, pending, False, refused, latest)
    mapping = management.mapping_version(registry.index_prefix, indices[0]) if indices else None
    return IndexStatus(alias, indices, documents, works, pending, True, refused, latest, mapping)
