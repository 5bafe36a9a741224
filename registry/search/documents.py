"""Map works and their facts to index documents, a chunk of works at a time, with set queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Dialect, Select, select
from sqlalchemy.orm import Session, selectinload

from registry.models import SourceRecord, Work
from registry.search.document_builder import TITLE_SORT_LENGTH, build_document
from registry.search.document_queries import FACT_KINDS, WORK_COLUMNS, chunk_queries

__all__ = ["TITLE_SORT_LENGTH", "WorkEntry", "build_document", "choose_title", "load_entries"]

DELETED, MERGED_INTO = (
    [c.name for c in WORK_COLUMNS].index(name) for name in ("deleted", "merged_into")
)


@dataclass(frozen=True)
class WorkEntry:
    """What the index needs of one work: its version and document (None: leave the index)."""

    work_id: int
    version: int | None
    document: dict[str, Any] | None


def works_with_facts() -> Select[tuple[Work]]:
    """Return a query loading works with everything their detail page shows."""
    return select(Work).options(
        selectinload(Work.titles),
        selectinload(Work.identifiers),
        selectinload(Work.countries),
        selectinload(Work.contributions),
        selectinload(Work.rights),
        selectinload(Work.licenses),
        selectinload(Work.coproductions),
        selectinload(Work.sources).load_only(
            SourceRecord.id, SourceRecord.agency_code, SourceRecord.source_format
        ),
    )


def display_title(work: Work) -> str:
    """Return the title to show: the primary source's original title, else the first one."""
    chosen = choose_title(work.titles, work.primary_source_id)
    return chosen.text if chosen else f"work {work.id}"


def choose_title(titles: Sequence[Any], primary: int | None) -> Any:
    """Pick the shown title (the primary source's original, else any original, else the first)."""
    originals = [t for t in titles if t.kind == "original"]
    preferred = [t for t in originals if t.source_record_id == primary]
    return (preferred or originals or list(titles) or [None])[0]


def is_gone(work: Any) -> bool:
    """Tell whether a work row must leave the index: deleted, or merged into another."""
    return bool(work.deleted or getattr(work, "merged_into", None))


def load_entries(session: Session, ids: Sequence[int], span: bool = False) -> list[WorkEntry]:
    """Build the entries of the given works; span=True: ids are every work from first to last."""
    if not ids:
        return []
    conn = session.connection()
    if span:
        return load_span(conn, ids[0], ids[-1])
    lo, hi = min(ids), max(ids)
    if hi - lo + 1 == len(set(ids)):  # consecutive ids, as after an import: read the range
        entries = load_span(conn, lo, hi)
        found = {e.work_id for e in entries}
        return entries + [WorkEntry(i, None, None) for i in sorted(set(ids)) if i not in found]
    queries, params = chunk_queries(False), {"ids": list(ids)}
    works = conn.execute(queries["works"], params).all()
    entries = _entries(works, [conn.execute(queries[k], params).all() for k in _needed(works)])
    found = {w[0] for w in works}
    return entries + [WorkEntry(i, None, None) for i in ids if i not in found]


def load_span(conn: Connection, lo: int, hi: int) -> list[WorkEntry]:
    """Build the entries of every work from lo to hi (conn: in a transaction, for one snapshot).

    The rows come from the driver's own cursor, past SQLAlchemy's result layer: the builder
    reads SQLite's stored text of times, dates and flags, and PostgreSQL's decimals, as
    SQLAlchemy would (tests/integration/test_index_reference.py compares the documents).
    """
    statements, positional = driver_statements(conn.dialect)
    params: Any = (lo, hi) if positional else {"lo": lo, "hi": hi}
    cursor = conn.connection.cursor()
    try:
        works = cursor.execute(statements["works"], params).fetchall()
        facts = [cursor.execute(statements[k], params).fetchall() for k in _needed(works)]
    finally:
        cursor.close()
    return _entries(works, facts)


@cache
def driver_statements(dialect: Dialect) -> tuple[dict[str, str], bool]:
    """Return the span queries as the driver's SQL text, and whether it takes (lo, hi) in order."""
    statements, positional = {}, dialect.positional
    for kind, query in chunk_queries(True).items():
        compiled = query.compile(dialect=dialect)
        if positional and compiled.positiontup != ["lo", "hi"]:
            raise ValueError(f"{kind}: expected the bounds lo, hi in order")
        statements[kind] = str(compiled)
    return statements, positional


def _gone(work: Sequence[Any]) -> bool:
    """Tell whether a work row (columns as queried) must leave the index."""
    return bool(work[DELETED] or work[MERGED_INTO])


def _needed(works: Sequence[Sequence[Any]]) -> tuple[str, ...]:
    """Return the fact kinds to query: none when every work leaves the index."""
    return FACT_KINDS if not all(map(_gone, works)) else ()


def _entries(works: Sequence[Sequence[Any]], fact_rows: list[Sequence[Any]]) -> list[WorkEntry]:
    """Build the entries of works from their rows and the rows of each fact kind."""
    entries = [WorkEntry(w[0], w[1], None) for w in works if _gone(w)]
    if not fact_rows:
        return entries
    facts = [_grouped(rows) for rows in fact_rows]
    titles, idents, countries, agencies, contribs, rights, licenses, copros = facts
    entries += [
        WorkEntry(
            w[0],
            w[1],
            build_document(
                w,
                titles.get(w[0], ()),
                idents.get(w[0], ()),
                countries.get(w[0], ()),
                agencies.get(w[0], ()),
                contribs.get(w[0], ()),
                rights.get(w[0], ()),
                licenses.get(w[0], ()),
                copros.get(w[0], ()),
            ),
        )
        for w in works
        if not _gone(w)
    ]
    return entries


def _grouped(rows: Iterable[Sequence[Any]]) -> dict[int, list[Any]]:
    """Group fact rows by their first column, the work id, keeping their order."""
    groups: dict[int, list[Any]] = {}
    for row in rows:
        group = groups.get(row[0])
        if group is None:
            groups[row[0]] = [row]
        else:
            group.append(row)
    return groups
