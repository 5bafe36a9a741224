"""Write work aggregates in batches, idempotently, keeping which source said each fact.

Every statement is SQLAlchemy Core: a chunk costs a fixed number of queries and executemany
inserts and updates (works and source records inserted with RETURNING), never one per record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from registry.matching import Claim, assign_works
from registry.models import IndexOutbox, SourceRecord, SourceTombstone, Work
from registry.models.base import utcnow
from registry.services.parties import PartyResolver, folded_name
from registry.services.records import SourceInfo, UpsertOutcome, canonical_dump, fingerprint
from registry.services.write_bulk import insert_tuples_ids, one_of
from registry.services.write_delete import withdraw
from registry.services.write_locks import lock_writers as lock_writers  # re-exported
from registry.services.write_raw import JsonText, insert_rows, update_rows
from registry.services.write_rows import FACT_COLUMNS, FACT_TABLES, FactRows, fact_rows, party_refs
from registry.services.write_works import WorkStates
from schemas.text import storable

RECORDS = SourceRecord.__table__
TOMBSTONES = SourceTombstone.__table__
OUTBOX = IndexOutbox.__table__
WORKS = Work.__table__
LOOKUP_BATCH = 500


class Written(NamedTuple):
    """One aggregate to write; digest and normalized are computed here when left empty."""

    source: SourceInfo
    aggregate: dict[str, Any]
    raw: str
    digest: str = ""
    normalized: str | None = None  # canonical_json of the aggregate


@dataclass
class _Item:
    """One aggregate on its way into the database."""

    source: SourceInfo
    aggregate: dict[str, Any]
    raw: str
    digest: str
    record_id: int | None = None
    work_id: int | None = None
    normalized: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """Return the (agency, format, source key) of the item."""
        return (self.source.agency, self.source.source_format, self.source.key)


class WorkWriter:
    """Apply aggregates to the database within one session, a batch at a time."""

    def __init__(self, session: Session, batch_id: int | None = None) -> None:
        self.session = session
        self.batch_id = batch_id
        self.dialect = session.get_bind().dialect.name
        self.parties = PartyResolver(session)
        self.touched: set[int] = set()
        self._outbox: list[int] = []
        self._created: dict[int, int] = {}  # works new_works inserted in this batch: version

    def forget(self, touched: set[int]) -> None:
        """Drop what a rolled-back savepoint created: cached parties, queued works."""
        self.parties = PartyResolver(self.session)
        self.touched = set(touched)
        self._outbox = []

    def upsert(self, source: SourceInfo, aggregate: dict[str, Any], raw: str) -> UpsertOutcome:
        """Create, update or leave unchanged the work one source record describes."""
        return self.write_many([Written(source, aggregate, raw)])[0]

    def write_many(self, items: list[Written]) -> list[UpsertOutcome]:
        """Write a batch of aggregates with a few set-based statements."""
        seen: set[tuple[str, str, str]] = set()
        for index, written in enumerate(items):
            source = written.source
            key = (source.agency, source.source_format, source.key)
            if key in seen:
                return self.write_many(items[:index]) + self.write_many(items[index:])
            seen.add(key)
        return self._write(items) if items else []

    def _write(self, written: list[Written]) -> list[UpsertOutcome]:
        """Write a batch whose source keys are distinct."""
        self._created = {}
        items = [
            _Item(
                w.source,
                w.aggregate,
                w.raw,
                w.digest or fingerprint(w.aggregate, w.source.authoritative),
                normalized=w.normalized,
            )
            for w in written
        ]
        stored = self._stored(items)
        outcomes: list[UpsertOutcome | None] = [None] * len(items)
        changed: list[_Item] = []
        created: set[int] = set()
        for index, item in enumerate(items):
            row = stored.get(item.key)
            if row is not None and row[2] == item.digest:
                outcomes[index] = UpsertOutcome("unchanged", row[1])
                continue
            if row is None:
                created.add(index)
            else:
                item.record_id, item.work_id = row[0], row[1]
            changed.append(item)
        if changed:
            self._place(changed)
            self._store_records(changed)
            self._store_works_and_facts(changed)
        for index, item in enumerate(items):
            if outcomes[index] is None:
                action = "created" if index in created else "updated"
                outcomes[index] = UpsertOutcome(action, item.work_id)
        return outcomes  # type: ignore[return-value]

    def _stored(self, items: list[_Item]) -> dict[tuple[str, str, str], tuple[int, int, str]]:
        """Load (id, work id, fingerprint) of the stored source records of the batch's keys."""
        found: dict[tuple[str, str, str], tuple[int, int, str]] = {}
        c = RECORDS.c
        for (agency, source_format), keys in _by_source(items).items():
            for start in range(0, len(keys), LOOKUP_BATCH):
                statement = select(c.source_key, c.id, c.work_id, c.sha256).where(
                    c.agency_code == agency,
                    c.source_format == source_format,
                    one_of(c.source_key, keys[start : start + LOOKUP_BATCH], self.dialect),
                )
                for key, record_id, work_id, digest in self.session.execute(statement):
                    found[(agency, source_format, key)] = (record_id, work_id, digest)
        return found

    def _place(self, items: list[_Item]) -> None:
        """Give new records the work hard rules name, or new works shared by their group."""
        fresh = [item for item in items if item.record_id is None]
        if not fresh:
            return
        claims = [
            Claim(
                identifiers=tuple(
                    (i["scheme"], i["value"])
                    for i in item.aggregate["identifiers"]
                    if i.get("verified", True) is not False
                ),
                titles=frozenset(folded_name(t["text"]) for t in item.aggregate["titles"]),
            )
            for item in fresh
        ]
        assignments = assign_works(self.session, claims)
        group_work: dict[int, int] = {}
        for assignment in assignments:
            if assignment.work_id is not None:
                group_work.setdefault(assignment.group, assignment.work_id)
        new_groups = sorted({a.group for a in assignments} - set(group_work))
        group_work.update(zip(new_groups, self.new_works(len(new_groups)), strict=True))
        for item, assignment in zip(fresh, assignments, strict=True):
            item.work_id = assignment.work_id or group_work[assignment.group]

    def new_works(self, count: int, version: int = 0) -> list[int]:
        """Insert count empty, incomplete works and return their ids in order."""
        if not count:
            return []
        now = utcnow()
        row = (version, True, False, [], now, now)
        columns = ("version", "incomplete", "deleted", "original_languages", "created_at")
        connection = self.session.connection()
        ids = insert_tuples_ids(connection, WORKS, (*columns, "updated_at"), [row] * count)
        self._created.update(dict.fromkeys(ids, version))
        return ids

    def _store_records(self, items: list[_Item]) -> None:
        """Create or refresh the source records and drop the facts they stated before."""
        connection = self.session.connection()
        stale = [i.record_id for i in items if i.record_id is not None]
        fresh = [i for i in items if i.record_id is None]
        for (agency, source_format), keys in _by_source(fresh).items():
            for start in range(0, len(keys), LOOKUP_BATCH):
                connection.execute(
                    delete(TOMBSTONES).where(
                        TOMBSTONES.c.agency_code == agency,
                        TOMBSTONES.c.source_format == source_format,
                        one_of(TOMBSTONES.c.source_key, keys[start:][:LOOKUP_BATCH], self.dialect),
                    )
                )
        for start in range(0, len(stale), LOOKUP_BATCH):
            for table in FACT_TABLES:
                column = table.__table__.c.source_record_id
                connection.execute(
                    delete(table.__table__).where(column.in_(stale[start : start + LOOKUP_BATCH]))
                )
        now = utcnow()

        def values(item: _Item) -> dict[str, Any]:
            """Return the columns a write sets on a source record."""
            return {
                "authoritative": item.source.authoritative,
                "locator": item.source.locator,
                "payload": storable(item.raw),
                "normalized": (
                    JsonText(item.normalized) if item.normalized else canonical_dump(item.aggregate)
                ),
                "sha256": item.digest,
                "import_batch_id": self.batch_id,
                "updated_at": now,
            }

        if stale:
            names = tuple(values(items[0]))
            rows = [(*values(i).values(), i.record_id) for i in items if i.record_id is not None]
            update_rows(connection, RECORDS, names, ("id",), rows)
        if fresh:
            names = ("agency_code", "source_format", "source_key", "work_id", "created_at")
            rows = [
                (i.source.agency, i.source.source_format, i.source.key, i.work_id, now,
                 *values(i).values())
                for i in fresh
            ]  # fmt: skip
            ids = insert_tuples_ids(connection, RECORDS, (*names, *values(fresh[0])), rows)
            for item, record_id in zip(fresh, ids, strict=True):
                item.record_id = record_id

    def _store_works_and_facts(self, items: list[_Item]) -> None:
        """Merge work fields, resolve parents and parties, insert every fact in bulk."""
        states = WorkStates(self, {item.work_id for item in items}, self._created)
        rows: FactRows = {table: [] for table in FACT_TABLES}
        parents = states.parents(
            [(item.aggregate.get("parent"), item.record_id) for item in items],
            {
                (i["scheme"], i["value"]): item.work_id
                for item in items
                for i in item.aggregate["identifiers"]
            },
            rows,
        )
        for item, parent_id in zip(items, parents, strict=True):
            states.merge(item.work_id, item.record_id, item.source.authoritative, item.aggregate)
            if parent_id is not None:
                states.set_parent(item.work_id, parent_id)
        states.store()
        for work_id in states.stubs:
            self._touch(work_id)
        refs = [ref for item in items for ref in party_refs(item.aggregate) if ref]
        self.parties.prefetch(refs)
        handles = [[self.parties.resolve(ref) for ref in party_refs(i.aggregate)] for i in items]
        self.parties.store_pending()
        for item, item_handles in zip(items, handles, strict=True):
            fact_rows(rows, item.work_id, item.record_id, item.aggregate, iter(item_handles))
            self._touch(item.work_id)
        connection = self.session.connection()
        for table, table_rows in rows.items():
            insert_rows(connection, table.__table__, FACT_COLUMNS[table], table_rows)
        self._store_outbox()

    def delete(self, source: SourceInfo) -> UpsertOutcome:
        """Withdraw everything one source record stated; tombstone works left without sources."""
        return withdraw(self, source)

    def queue_for_index(self, work_id: int) -> None:
        """Queue a work for indexing and write the queued outbox entries now."""
        self._touch(work_id)
        self._store_outbox()

    def _touch(self, work_id: int) -> None:
        """Queue the work for indexing after commit."""
        if work_id not in self.touched:
            self.touched.add(work_id)
            self._outbox.append(work_id)

    def _store_outbox(self) -> None:
        """Write the queued outbox entries in one statement."""
        if self._outbox:
            now = utcnow()
            rows = [(work_id, now) for work_id in self._outbox]
            insert_rows(self.session.connection(), OUTBOX, ("work_id", "created_at"), rows)
            self._outbox = []


def _by_source(items: list[_Item]) -> dict[tuple[str, str], list[str]]:
    """Group the items' source keys by (agency, format), so that lookups use the unique index."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for item in items:
        grouped.setdefault((item.source.agency, item.source.source_format), []).append(
            item.source.key
        )
    return grouped
