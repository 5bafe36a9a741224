"""Write whole work aggregates idempotently, keeping which source said each fact."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from registry.models import (
    Contribution,
    CoProduction,
    Identifier,
    IndexOutbox,
    License,
    RightsHolding,
    SourceRecord,
    Title,
    Work,
    WorkCountry,
)
from registry.models.base import utcnow
from registry.services.parties import PartyResolver
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


class WorkWriter:
    """Apply aggregates from one source to the database within one session."""

    def __init__(self, session: Session, batch_id: int | None = None) -> None:
        self.session = session
        self.batch_id = batch_id
        self.parties = PartyResolver(session)
        self.touched: set[int] = set()

    def upsert(self, source: SourceInfo, aggregate: dict[str, Any], raw: str) -> UpsertOutcome:
        """Create, update or leave unchanged the work this source record describes."""
        dumped = canonical_dump(aggregate)
        digest = fingerprint(dumped, source.authoritative)
        record = self._source_record(source)
        if record is not None and record.sha256 == digest:
            return UpsertOutcome("unchanged", record.work_id)
        created = record is None
        work = self.session.get(Work, record.work_id) if record else self._find_work(aggregate)
        if work is None:
            work = Work(incomplete=True, version=1)
            self.session.add(work)
            self.session.flush()
        else:
            work.version += 1
        if record is None:
            record = SourceRecord(
                agency_code=source.agency,
                source_format=source.source_format,
                source_key=source.key,
                work_id=work.id,
            )
            self.session.add(record)
        else:
            self._drop_facts(record.id)
        record.authoritative = source.authoritative
        record.locator = source.locator
        record.payload = raw
        record.normalized = dumped
        record.sha256 = digest
        record.import_batch_id = self.batch_id
        record.updated_at = utcnow()
        self.session.flush()
        self._merge_scalars(work, record, aggregate)
        self._add_facts(work, record.id, aggregate)
        work.updated_at = utcnow()
        self._touch(work.id)
        return UpsertOutcome("created" if created else "updated", work.id)

    def delete(self, source: SourceInfo) -> UpsertOutcome:
        """Withdraw everything one source record stated; tombstone works left without sources."""
        record = self._source_record(source)
        if record is None:
            return UpsertOutcome("unchanged", None)
        work = self.session.get(Work, record.work_id)
        work.version += 1
        self._drop_facts(record.id)
        self.session.delete(record)
        self.session.flush()
        remaining = self.session.scalar(
            select(SourceRecord.id).where(SourceRecord.work_id == work.id).limit(1)
        )
        if remaining is None:
            work.deleted = True
        if work.primary_source_id == record.id:
            work.primary_source_id = None
        work.updated_at = utcnow()
        self._touch(work.id)
        return UpsertOutcome("deleted", work.id)

    def _source_record(self, source: SourceInfo) -> SourceRecord | None:
        """Load the stored record of this source key."""
        stmt = select(SourceRecord).where(
            SourceRecord.agency_code == source.agency,
            SourceRecord.source_format == source.source_format,
            SourceRecord.source_key == source.key,
        )
        return self.session.scalars(stmt).first()

    def _find_work(self, aggregate: dict[str, Any]) -> Work | None:
        """Find the work an aggregate's identifiers point to."""
        folded_titles = {fold(t["text"]) for t in aggregate["titles"]}
        for ident in aggregate["identifiers"]:
            stmt = select(Identifier.work_id).where(
                Identifier.scheme == ident["scheme"], Identifier.value == ident["value"]
            )
            if is_placeholder(ident["scheme"], ident["value"]):
                if not folded_titles:
                    continue
                stmt = stmt.join(Title, Title.work_id == Identifier.work_id).where(
                    Title.text_folded.in_(folded_titles)
                )
            work_id = self.session.scalars(stmt.limit(1)).first()
            if work_id is not None:
                return self.session.get(Work, work_id)
        return None

    def _merge_scalars(self, work: Work, record: SourceRecord, aggregate: dict[str, Any]) -> None:
        """Let the primary source set the work's fields; others only fill gaps."""
        owns = record.authoritative and work.primary_source_id in (None, record.id)
        if owns:
            work.primary_source_id = record.id
            work.incomplete = False
            work.deleted = False
        for name in SCALARS:
            value = aggregate.get(name)
            if value is not None and (owns or getattr(work, name) is None):
                setattr(work, name, value)
        if aggregate["original_languages"] and (owns or not work.original_languages):
            work.original_languages = list(aggregate["original_languages"])
        if aggregate.get("parent"):
            work.parent_id = self._parent_id(aggregate["parent"], record.id)

    def _parent_id(self, ref: dict[str, str], record_id: int) -> int:
        """Return the parent work's id, creating an incomplete stub when unknown."""
        stmt = select(Identifier.work_id).where(
            Identifier.scheme == ref["scheme"], Identifier.value == ref["value"]
        )
        parent_id = self.session.scalars(stmt.limit(1)).first()
        if parent_id is not None:
            return parent_id
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
        self._touch(stub.id)
        return stub.id

    def _add_facts(self, work: Work, record_id: int, agg: dict[str, Any]) -> None:
        """Insert every fact of the aggregate, owned by its source record."""
        common = {"work_id": work.id, "source_record_id": record_id}
        add = self.session.add
        for t in agg["titles"]:
            add(
                Title(
                    **common,
                    text=t["text"],
                    text_folded=fold(t["text"]),
                    language=t["language"],
                    kind=t["kind"],
                    territory=t["territory"],
                )
            )
        for i in agg["identifiers"]:
            add(Identifier(**common, scheme=i["scheme"], value=i["value"]))
        for country in agg["countries_of_origin"]:
            add(WorkCountry(**common, country=country))
        for c in agg["contributions"]:
            party = self.parties.resolve(c["party"])
            add(Contribution(**common, party=party, role=c["role"], credit_order=c["credit_order"]))
        for r in agg["rights"]:
            add(
                RightsHolding(
                    **common,
                    holder=self.parties.resolve(r["holder"]),
                    right_type=r["right_type"],
                    share_pct=r["share_pct"],
                    territories=r["territories"],
                    territory_expression=r["territory_expression"],
                    valid_from=r["valid_from"],
                    valid_to=r["valid_to"],
                )
            )
        for lic in agg["licenses"]:
            add(
                License(
                    **common,
                    licensor=self.parties.resolve(lic["licensor"]),
                    licensee=self.parties.resolve(lic["licensee"]),
                    media=lic["media"],
                    territories=lic["territories"],
                    territory_expression=lic["territory_expression"],
                    languages=lic["languages"],
                    exclusive=lic["exclusive"],
                    start=lic["start"],
                    end=lic["end"],
                    status=lic["status"],
                    external_id=lic["external_id"],
                    terms=_jsonable(lic["terms"]),
                )
            )
        for cp in agg["coproductions"]:
            add(
                CoProduction(
                    **common,
                    party=self.parties.resolve(cp["party"]),
                    country=cp["country"],
                    share_pct=cp["share_pct"],
                    role=cp["role"],
                )
            )

    def _drop_facts(self, record_id: int) -> None:
        """Delete every fact a source record contributed."""
        for table in FACT_TABLES:
            self.session.execute(delete(table).where(table.source_record_id == record_id))

    def _touch(self, work_id: int) -> None:
        """Queue the work for indexing after commit."""
        if work_id not in self.touched:
            self.touched.add(work_id)
            self.session.add(IndexOutbox(work_id=work_id))


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
