"""Write work aggregates in batches, idempotently, keeping which source said each fact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from registry.models import (
    Contribution,
    CoProduction,
    Identifier,
    IndexOutbox,
    License,
    RightsHolding,
    SourceRecord,
    SourceTombstone,
    Title,
    Work,
    WorkCountry,
)
from registry.models.base import utcnow
from registry.services.parties import PartyResolver, party_id
from registry.services.records import (
    SourceInfo,
    UpsertOutcome,
    canonical_dump,
    fingerprint,
    is_placeholder,
)
from schemas.text import fold

FACT_TABLES = (Title, Identifier, WorkCountry, Contribution, RightsHolding, License, CoProduction)
SCALARS = ("work_type", "year", "year_end", "runtime_minutes", "episode_count", "sequence")


@dataclass
class _Item:
    """One aggregate on its way into the database."""

    source: SourceInfo
    aggregate: dict[str, Any]
    raw: str
    dumped: dict[str, Any]
    digest: str
    record: SourceRecord | None = None
    work: Work | None = None


class WorkWriter:
    """Apply aggregates to the database within one session, a batch at a time."""

    def __init__(self, session: Session, batch_id: int | None = None) -> None:
        self.session = session
        self.batch_id = batch_id
        self.parties = PartyResolver(session)
        self.touched: set[int] = set()
        self._outbox: list[int] = []
        self._batch: dict[tuple, Work] = {}

    def upsert(self, source: SourceInfo, aggregate: dict[str, Any], raw: str) -> UpsertOutcome:
        """Create, update or leave unchanged the work one source record describes."""
        return self.write_many([(source, aggregate, raw)])[0]

    def write_many(
        self, items: list[tuple[SourceInfo, dict[str, Any], str]]
    ) -> list[UpsertOutcome]:
        """Write a batch of aggregates with a few set-based statements."""
        seen: set[tuple[str, str, str]] = set()
        for index, (source, _, _) in enumerate(items):
            key = (source.agency, source.source_format, source.key)
            if key in seen:
                return self.write_many(items[:index]) + self.write_many(items[index:])
            seen.add(key)
        with self.session.no_autoflush:
            return self._write(items)

    def _write(
        self, raw_items: list[tuple[SourceInfo, dict[str, Any], str]]
    ) -> list[UpsertOutcome]:
        """Write a batch whose source keys are distinct."""
        items = []
        for source, aggregate, raw in raw_items:
            dumped = canonical_dump(aggregate)
            items.append(
                _Item(source, aggregate, raw, dumped, fingerprint(dumped, source.authoritative))
            )
        records = self._records(items)
        outcomes: dict[int, UpsertOutcome] = {}
        changed: list[_Item] = []
        for index, item in enumerate(items):
            item.record = records.get(
                (item.source.agency, item.source.source_format, item.source.key)
            )
            if item.record is not None and item.record.sha256 == item.digest:
                outcomes[index] = UpsertOutcome("unchanged", item.record.work_id)
            else:
                changed.append(item)
        if changed:
            created = {id(i) for i in changed if i.record is None}
            self._assign_works(changed)
            self._store_records(changed)
            self._apply_facts(changed)
            for index, item in enumerate(items):
                if index not in outcomes:
                    action = "created" if id(item) in created else "updated"
                    outcomes[index] = UpsertOutcome(action, item.work.id)
        return [outcomes[i] for i in range(len(items))]

    def _records(self, items: list[_Item]) -> dict[tuple[str, str, str], SourceRecord]:
        """Load the stored source records of the batch's keys."""
        keys = [(i.source.agency, i.source.source_format, i.source.key) for i in items]
        stmt = select(SourceRecord).where(
            tuple_(
                SourceRecord.agency_code, SourceRecord.source_format, SourceRecord.source_key
            ).in_(keys)
        )
        return {
            (r.agency_code, r.source_format, r.source_key): r for r in self.session.scalars(stmt)
        }

    def _assign_works(self, items: list[_Item]) -> None:
        """Find or create the work of each item, sharing works found within the batch."""
        known = {i.record.work_id for i in items if i.record is not None}
        idents = self._identifier_index(items)
        known |= {wid for wid in idents.values() if isinstance(wid, int)}
        works = {w.id: w for w in self.session.scalars(select(Work).where(Work.id.in_(known)))}
        batch: dict[tuple, Work] = {k: works[v] for k, v in idents.items() if v in works}
        for item in items:
            titles = {fold(t["text"]) for t in item.aggregate["titles"]}
            if item.record is not None:
                item.work = works[item.record.work_id]
            else:
                item.work = self._match(item.aggregate, batch, titles)
            if item.work is None:
                item.work = Work(incomplete=True, version=0)
                self.session.add(item.work)
            item.work.version = (item.work.version or 0) + 1
            for ident in item.aggregate["identifiers"]:
                if not is_placeholder(ident["scheme"], ident["value"]):
                    batch.setdefault((ident["scheme"], ident["value"]), item.work)
                else:
                    for title in titles:
                        batch.setdefault((ident["scheme"], ident["value"], title), item.work)
        self.session.flush()
        self._batch = batch

    def _identifier_index(self, items: list[_Item]) -> dict[tuple[str, str], int]:
        """Map the batch's (scheme, value) identifiers to the stored works holding them."""
        pairs = {
            (i["scheme"], i["value"])
            for item in items
            for i in item.aggregate["identifiers"]
            if not is_placeholder(i["scheme"], i["value"])
        }
        if item_parents := [it.aggregate["parent"] for it in items if it.aggregate.get("parent")]:
            pairs |= {(p["scheme"], p["value"]) for p in item_parents}
        found: dict[tuple[str, str], int] = {}
        values = sorted({v for _, v in pairs})
        for start in range(0, len(values), 500):
            rows = self.session.execute(
                select(Identifier.scheme, Identifier.value, Identifier.work_id)
                .where(Identifier.value.in_(values[start : start + 500]))
                .order_by(Identifier.id)
            )
            for scheme, value, work_id in rows:
                if (scheme, value) in pairs:
                    found.setdefault((scheme, value), work_id)
        return found

    def _match(
        self, aggregate: dict[str, Any], batch: dict[tuple, Work], titles: set[str]
    ) -> Work | None:
        """Return the work an aggregate's identifiers point to, if any."""
        for ident in aggregate["identifiers"]:
            key = (ident["scheme"], ident["value"])
            if not is_placeholder(*key):
                if key in batch:
                    return batch[key]
                continue
            for title in sorted(titles):
                if (*key, title) in batch:
                    return batch[(*key, title)]
            if not titles:
                continue
            candidates = sorted(
                set(
                    self.session.scalars(select(Title.work_id).where(Title.text_folded.in_(titles)))
                )
            )
            rows = (
                self.session.execute(
                    select(Identifier.work_id, Identifier.scheme, Identifier.value).where(
                        Identifier.work_id.in_(candidates[:500])
                    )
                )
                if candidates
                else []
            )
            work_id = min((w for w, sc, v in rows if (sc, v) == key), default=None)
            if work_id is not None:
                return self.session.get(Work, work_id)
        return None

    def _store_records(self, items: list[_Item]) -> None:
        """Create or refresh the source records and drop the facts they stated before."""
        stale = [i.record.id for i in items if i.record is not None]
        fresh = [
            (i.source.agency, i.source.source_format, i.source.key)
            for i in items
            if i.record is None
        ]
        if fresh:
            self.session.execute(
                delete(SourceTombstone).where(
                    tuple_(
                        SourceTombstone.agency_code,
                        SourceTombstone.source_format,
                        SourceTombstone.source_key,
                    ).in_(fresh)
                )
            )
        if stale:
            for table in FACT_TABLES:
                self.session.execute(delete(table).where(table.source_record_id.in_(stale)))
        now = utcnow()
        for item in items:
            if item.record is None:
                item.record = SourceRecord(
                    agency_code=item.source.agency,
                    source_format=item.source.source_format,
                    source_key=item.source.key,
                    work_id=item.work.id,
                )
                self.session.add(item.record)
            r = item.record
            r.authoritative, r.locator, r.payload = (
                item.source.authoritative,
                item.source.locator,
                item.raw,
            )
            r.normalized, r.sha256, r.import_batch_id, r.updated_at = (
                item.dumped,
                item.digest,
                self.batch_id,
                now,
            )
        self.session.flush()

    def _apply_facts(self, items: list[_Item]) -> None:
        """Merge work fields, resolve parties and insert every fact in bulk."""
        refs = [ref for item in items for ref in _party_refs(item.aggregate) if ref]
        self.parties.prefetch(refs)
        handles = [[self.parties.resolve(ref) for ref in _party_refs(i.aggregate)] for i in items]
        now = utcnow()
        for item in items:
            self._merge_scalars(item.work, item.record, item.aggregate)
            if item.aggregate.get("parent"):
                item.work.parent_id = self._parent(item.aggregate["parent"], item.record.id).id
            item.work.updated_at = now
        self.session.flush()
        self.parties.store_pending()
        rows: dict[type, list[dict[str, Any]]] = {table: [] for table in FACT_TABLES}
        for item, item_handles in zip(items, handles, strict=True):
            _fact_rows(rows, item.work.id, item.record.id, item.aggregate, iter(item_handles))
            self._touch(item.work.id)
        for table, table_rows in rows.items():
            if table_rows:
                statement = insert(table).execution_options(render_nulls=True)
                self.session.execute(statement, table_rows)
        self.session.flush()
        self._store_outbox()

    def _merge_scalars(self, work: Work, record: SourceRecord, aggregate: dict[str, Any]) -> None:
        """Let the work's primary source set its fields; other sources only fill gaps."""
        owns = record.authoritative and work.primary_source_id in (None, record.id)
        if owns:
            work.primary_source_id = record.id
            work.incomplete = False
            work.deleted = False
        for name in SCALARS:
            value = aggregate.get(name)
            if owns or (value is not None and getattr(work, name) is None):
                setattr(work, name, value)
        if aggregate["original_languages"] and (owns or not work.original_languages):
            work.original_languages = list(aggregate["original_languages"])

    def _parent(self, ref: dict[str, str], record_id: int) -> Work:
        """Return the parent work, creating an incomplete stub that carries the identifier."""
        if (ref["scheme"], ref["value"]) in self._batch:
            return self._batch[(ref["scheme"], ref["value"])]
        stmt = (
            select(Identifier.work_id)
            .where(Identifier.scheme == ref["scheme"], Identifier.value == ref["value"])
            .limit(1)
        )
        parent_id = self.session.scalars(stmt).first()
        if parent_id is not None:
            return self.session.get(Work, parent_id)
        stub = Work(incomplete=True, version=1)
        self.session.add(stub)
        self.session.flush()
        self.session.add(
            Identifier(
                work_id=stub.id,
                source_record_id=record_id,
                scheme=ref["scheme"],
                value=ref["value"],
            )
        )
        self.session.flush()
        self._touch(stub.id)
        return stub

    def delete(self, source: SourceInfo) -> UpsertOutcome:
        """Withdraw everything one source record stated; tombstone works left without sources."""
        record = self.session.scalars(
            _by_source_key(SourceRecord, source.agency, source.source_format, source.key)
        ).first()
        if record is None:
            return UpsertOutcome("unchanged", None)
        work = self.session.get(Work, record.work_id)
        work.version += 1
        for table in FACT_TABLES:
            self.session.execute(delete(table).where(table.source_record_id == record.id))
        if work.primary_source_id == record.id:
            work.primary_source_id = None
        self._tombstone(record, work.id)
        self.session.delete(record)
        self.session.flush()
        remaining = self.session.scalar(
            select(SourceRecord.id).where(SourceRecord.work_id == work.id).limit(1)
        )
        work.deleted = remaining is None
        work.updated_at = utcnow()
        self._touch(work.id)
        self._store_outbox()
        return UpsertOutcome("deleted", work.id)

    def _tombstone(self, record: SourceRecord, work_id: int) -> None:
        """Remember that a source key was withdrawn, for harvesters."""
        stone = self.session.scalars(
            _by_source_key(
                SourceTombstone, record.agency_code, record.source_format, record.source_key
            )
        ).first()
        if stone is None:
            stone = SourceTombstone(
                agency_code=record.agency_code,
                source_format=record.source_format,
                source_key=record.source_key,
            )
            self.session.add(stone)
        stone.work_id, stone.deleted_at, stone.import_batch_id = work_id, utcnow(), self.batch_id

    def _touch(self, work_id: int) -> None:
        """Queue the work for indexing after commit."""
        if work_id not in self.touched:
            self.touched.add(work_id)
            self._outbox.append(work_id)

    def _store_outbox(self) -> None:
        """Write the queued outbox entries in one statement."""
        if self._outbox:
            now = utcnow()
            self.session.execute(
                insert(IndexOutbox), [{"work_id": w, "created_at": now} for w in self._outbox]
            )
            self._outbox = []


def _by_source_key(model: type, agency: str, source_format: str, key: str) -> Any:
    """Select the row of a model keyed by (agency, format, source key)."""
    return select(model).where(
        model.agency_code == agency, model.source_format == source_format, model.source_key == key
    )


def _party_refs(agg: dict[str, Any]) -> list[dict[str, Any] | None]:
    """Return every party reference of an aggregate in a fixed order."""
    refs: list[dict[str, Any] | None] = [c["party"] for c in agg["contributions"]]
    refs += [r["holder"] for r in agg["rights"]]
    for lic in agg["licenses"]:
        refs += [lic["licensor"], lic["licensee"]]
    refs += [c["party"] for c in agg["coproductions"]]
    return refs


def _fact_rows(
    rows: dict[type, list[dict[str, Any]]],
    work_id: int,
    record_id: int,
    agg: dict[str, Any],
    handles: Any,
) -> None:
    """Append the rows of every fact of an aggregate, consuming party handles in order."""
    base = {"work_id": work_id, "source_record_id": record_id}
    for t in agg["titles"]:
        rows[Title].append(
            {
                **base,
                "text": t["text"],
                "text_folded": fold(t["text"]),
                "language": t["language"],
                "kind": t["kind"],
                "territory": t["territory"],
            }
        )
    for i in agg["identifiers"]:
        rows[Identifier].append({**base, "scheme": i["scheme"], "value": i["value"]})
    for country in agg["countries_of_origin"]:
        rows[WorkCountry].append({**base, "country": country})
    for c in agg["contributions"]:
        rows[Contribution].append(
            {
                **base,
                "party_id": party_id(next(handles)),
                "role": c["role"],
                "credit_order": c["credit_order"],
            }
        )
    for r in agg["rights"]:
        rows[RightsHolding].append(
            {
                **base,
                "holder_party_id": party_id(next(handles)),
                "right_type": r["right_type"],
                "share_pct": r["share_pct"],
                "territories": r["territories"],
                "territory_expression": r["territory_expression"],
                "valid_from": r["valid_from"],
                "valid_to": r["valid_to"],
            }
        )
    for lic in agg["licenses"]:
        licensor, licensee = party_id(next(handles)), party_id(next(handles))
        rows[License].append(
            {
                **base,
                "licensor_party_id": licensor,
                "licensee_party_id": licensee,
                "media": lic["media"],
                "territories": lic["territories"],
                "territory_expression": lic["territory_expression"],
                "languages": lic["languages"],
                "exclusive": lic["exclusive"],
                "start": lic["start"],
                "end": lic["end"],
                "status": lic["status"],
                "external_id": lic["external_id"],
                "terms": _jsonable(lic["terms"]),
            }
        )
    for cp in agg["coproductions"]:
        rows[CoProduction].append(
            {
                **base,
                "party_id": party_id(next(handles)),
                "country": cp["country"],
                "share_pct": cp["share_pct"],
                "role": cp["role"],
            }
        )


def _jsonable(value: Any) -> Any:
    """Convert dates and decimals inside free-form terms to JSON-safe values."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return str(value)
    return value
