"""Read whole work aggregates with the source of every fact."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from registry.errors import NotFound, ValidationFailed
from registry.matching.views import linked_conflicts, survivor_of
from registry.models import (
    Contribution,
    CoProduction,
    Identifier,
    ImportBatch,
    License,
    Party,
    RightsHolding,
    SourceRecord,
    Title,
    Work,
    WorkCountry,
)
from registry.models.base import as_utc
from schemas.identifiers import normalize_identifier, unverified_form
from schemas.responses import WORK_DETAIL
from schemas.text import has_controls

SCALAR_FIELDS = ("work_type", "year", "year_end", "runtime_minutes", "episode_count")
LOOKUP_BATCH = 500


DETAIL_PAGE = 100
SHORT_LISTS = (
    ("titles", Title),
    ("identifiers", Identifier),
    ("countries", WorkCountry),
    ("contributions", Contribution),
    ("coproductions", CoProduction),
)
SOURCE_COLUMNS = (
    SourceRecord.id,
    SourceRecord.agency_code,
    SourceRecord.source_format,
    SourceRecord.source_key,
    SourceRecord.locator,
    SourceRecord.authoritative,
    SourceRecord.import_batch_id,
    SourceRecord.updated_at,
)


class Shown:
    """A stored row seen with extra values (its source, its work's title) for a response schema."""

    def __init__(self, row: Any, **extra: Any) -> None:
        self._row = row
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def source_index(
    session: Session, work_id: int, record_ids: Iterable[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Return a description of the work's source records by id (no payloads): all, or those."""
    stmt = (
        select(*SOURCE_COLUMNS, ImportBatch.file_name)
        .outerjoin(ImportBatch, ImportBatch.id == SourceRecord.import_batch_id)
        .where(SourceRecord.work_id == work_id)
        .order_by(SourceRecord.id)
    )
    if record_ids is None:
        return _described(session.execute(stmt))
    found: dict[int, dict[str, Any]] = {}
    wanted = sorted(set(record_ids))
    for start in range(0, len(wanted), LOOKUP_BATCH):
        part = wanted[start : start + LOOKUP_BATCH]
        found.update(_described(session.execute(stmt.where(SourceRecord.id.in_(part)))))
    return found


def _described(rows: Iterable[Any]) -> dict[int, dict[str, Any]]:
    """Return source record rows as descriptions by id."""
    return {
        row.id: {
            "record_id": row.id,
            "agency": row.agency_code,
            "format": row.source_format,
            "key": row.source_key,
            "locator": row.locator,
            "authoritative": row.authoritative,
            "import_batch": row.import_batch_id,
            "file": row.file_name,
            "updated_at": as_utc(row.updated_at).isoformat() if row.updated_at else None,
        }
        for row in rows
    }


def sources_of_page(
    session: Session, work_id: int, after: int | None, size: int
) -> tuple[list[int], int]:
    """Return the ids of one page of a work's source records after an id, and their total."""
    stmt = select(SourceRecord.id).where(SourceRecord.work_id == work_id)
    total = count_of(session, SourceRecord, work_id)
    if after is not None:
        stmt = stmt.where(SourceRecord.id > after)
    return list(session.scalars(stmt.order_by(SourceRecord.id).limit(size))), total


def _src(sources: dict[int, dict[str, Any]], record_id: int) -> dict[str, Any]:
    """Return the compact provenance attached to one fact."""
    s = sources.get(record_id, {})
    return {k: s.get(k) for k in ("record_id", "agency", "format", "key", "import_batch")}


def sourced(rows: Any, sources: dict[int, dict[str, Any]]) -> list[Shown]:
    """Return fact rows, each seen with its compact source."""
    return [Shown(row, source=_src(sources, row.source_record_id)) for row in rows]


def page_info(total: int, returned: int, next_url: str | None) -> dict[str, Any]:
    """Return how much of a list an answer holds and the URL of the rest."""
    return {"total": total, "returned": returned, "next": next_url if returned < total else None}


def work_detail(session: Session, work_id: int, size: int = DETAIL_PAGE) -> dict[str, Any]:
    """Return the detail of a work as plain JSON values (as the API answers it)."""
    return WORK_DETAIL.dump(work_view(session, work_id, size))


def work_view(session: Session, work_id: int, size: int = DETAIL_PAGE) -> dict[str, Any]:
    """Return a work with its facts, each fact's source and conflicts; long lists paged.

    Every list is read up to its page in SQL, so a work of thousands of records answers as
    fast as any other.
    """
    work = load_work_row(session, work_id)
    licenses = work_licenses(session, work.id, None, size)
    rights = work_rights(session, work.id, None, size)
    short = {name: first_rows(session, model, work.id, size) for name, model in SHORT_LISTS}
    shown_ids, source_total = sources_of_page(session, work.id, None, size)
    facts = [row for rows, _ in short.values() for row in rows]
    facts += [*licenses["items"], *rights["items"]]
    sources = source_index(session, work.id, [*shown_ids, *(f.source_record_id for f in facts)])
    page_sources = [sources[i] for i in shown_ids]
    base = f"/api/v1/works/{work.id}"
    return {
        "id": work.id,
        "version": work.version,
        "display_title": shown_title(session, work),
        "work_type": work.work_type,
        "year": work.year,
        "year_end": work.year_end,
        "runtime_minutes": work.runtime_minutes,
        "episode_count": work.episode_count,
        "original_languages": list(work.original_languages or []),
        "countries_of_origin": countries_of_origin(session, work.id),
        "parent_id": work.parent_id,
        "sequence": work.sequence,
        "incomplete": work.incomplete,
        "deleted": work.deleted,
        "created_at": as_utc(work.created_at).isoformat(),
        "updated_at": as_utc(work.updated_at).isoformat(),
        **{name: sourced(rows, sources) for name, (rows, _) in short.items()},
        "rights": sourced(rights["items"], sources),
        "licenses": sourced(licenses["items"], sources),
        "attributes": record_attributes(session, shown_ids, sources),
        "sources": page_sources,
        "conflicts": scalar_conflicts(session, work.id) + linked_conflicts(session, work.id),
        "merged_into": work.merged_into,
        "pages": {
            "sources": page_info(
                source_total,
                len(page_sources),
                f"{base}/sources?after={shown_ids[-1]}" if shown_ids else None,
            ),
            "licenses": licenses["page"],
            "rights": rights["page"],
            **{
                name: page_info(total, len(rows), None)
                for name, (rows, total) in short.items()
                if total > size
            },
        },
    }


def first_rows(session: Session, model: Any, work_id: int, size: int) -> tuple[list[Any], int]:
    """Return a work's first size rows of a fact table, in id order, and how many it has."""
    rows = list(
        session.scalars(
            select(model).where(model.work_id == work_id).order_by(model.id).limit(size)
        )
    )
    return rows, len(rows) if len(rows) < size else count_of(session, model, work_id)


def count_of(session: Session, model: Any, work_id: int) -> int:
    """Return how many rows of a table belong to a work."""
    return session.scalar(select(func.count()).where(model.work_id == work_id)) or 0


def shown_title(session: Session, work: Work) -> str:
    """Return the title to show, as display_title chooses it, reading at most three rows."""
    original = select(Title).where(Title.work_id == work.id).order_by(Title.id).limit(1)
    for stmt in (
        original.where(Title.kind == "original", Title.source_record_id == work.primary_source_id),
        original.where(Title.kind == "original"),
        original,
    ):
        title = session.scalars(stmt).first()
        if title is not None:
            return title.text
    return f"work {work.id}"


def countries_of_origin(session: Session, work_id: int) -> list[str]:
    """Return the distinct countries of origin a work's sources state, sorted."""
    stmt = select(WorkCountry.country).where(WorkCountry.work_id == work_id).distinct()
    return sorted(session.scalars(stmt))


def _facts_page(
    session: Session, model: Any, work_id: int, after: int | None, size: int, name: str
) -> dict[str, Any]:
    """Return up to size fact rows of a work after an id, and the paging of the rest."""
    stmt = select(model).where(model.work_id == work_id)
    total = count_of(session, model, work_id)
    if after is not None:
        stmt = stmt.where(model.id > after)
    rows = session.scalars(stmt.order_by(model.id).limit(size + 1)).all()
    more, rows = len(rows) > size, rows[:size]
    next_url = f"/api/v1/works/{work_id}/{name}?after={rows[-1].id}" if more else None
    page = {"total": total, "returned": len(rows), "next": next_url}
    return {"items": rows, "page": page}


def work_licenses(session: Session, work_id: int, after: int | None, size: int) -> dict[str, Any]:
    """Return a page of a work's licences, in id order."""
    return _facts_page(session, License, work_id, after, size, "licenses")


def work_rights(session: Session, work_id: int, after: int | None, size: int) -> dict[str, Any]:
    """Return a page of a work's rights holdings, in id order."""
    return _facts_page(session, RightsHolding, work_id, after, size, "rights")


def licenses_page(session: Session, work_id: int, after: int | None, size: int) -> dict[str, Any]:
    """Return a page of a work's licences with their sources, for GET /works/{id}/licenses."""
    load_work_row(session, work_id)
    found = work_licenses(session, work_id, after, size)
    sources = source_index(session, work_id, [row.source_record_id for row in found["items"]])
    return {"items": sourced(found["items"], sources), "page": found["page"]}


def rights_page(session: Session, work_id: int, after: int | None, size: int) -> dict[str, Any]:
    """Return a page of a work's rights holdings with their sources, for GET /works/{id}/rights."""
    load_work_row(session, work_id)
    found = work_rights(session, work_id, after, size)
    sources = source_index(session, work_id, [row.source_record_id for row in found["items"]])
    return {"items": sourced(found["items"], sources), "page": found["page"]}


def sources_page(session: Session, work_id: int, after: int | None, size: int) -> dict[str, Any]:
    """Return a page of a work's source records, for GET /works/{id}/sources."""
    load_work_row(session, work_id)
    ids, total = sources_of_page(session, work_id, after, size + 1)
    more, ids = len(ids) > size, ids[:size]
    described = source_index(session, work_id, ids)
    items = [described[i] for i in ids]
    next_url = f"/api/v1/works/{work_id}/sources?after={ids[-1]}" if more else None
    page = {"total": total, "returned": len(items), "next": next_url}
    return {"items": items, "page": page}


def load_work_row(session: Session, work_id: int) -> Work:
    """Load a work's own row or raise NotFound."""
    work = session.get(Work, work_id)
    if work is None:
        raise NotFound(f"no work with id {work_id}")
    return work


def record_attributes(
    session: Session, record_ids: list[int], sources: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return the free-form attributes each listed source record states."""
    if not record_ids:
        return []
    rows = session.execute(
        select(SourceRecord.id, SourceRecord.normalized["attributes"].label("attributes"))
        .where(SourceRecord.id.in_(record_ids))
        .order_by(SourceRecord.id)
    )
    return [
        {"values": row.attributes, "source": _src(sources, row.id)}
        for row in rows
        if isinstance(row.attributes, dict) and row.attributes
    ]


def scalar_conflicts(session: Session, work_id: int) -> list[dict[str, Any]]:
    """List the fields on which a work's sources state different values."""
    columns = [SourceRecord.normalized[name].label(name) for name in SCALAR_FIELDS]
    rows = session.execute(
        select(SourceRecord.id, *columns)
        .where(SourceRecord.work_id == work_id)
        .order_by(SourceRecord.id)
    ).all()
    conflicts = []
    for name in SCALAR_FIELDS:
        claims: dict[str, list[int]] = {}
        for row in rows:
            value = getattr(row, name)
            if value is not None:
                claims.setdefault(str(value), []).append(row.id)
        if len(claims) > 1:
            conflicts.append(
                {
                    "field": name,
                    "claims": [
                        {"value": v, "source_records": ids} for v, ids in sorted(claims.items())
                    ],
                }
            )
    return conflicts


def find_work_id(session: Session, scheme: str, value: str) -> int:
    """Return the id of the work holding an identifier, in any accepted spelling."""
    if has_controls(scheme) or has_controls(value):
        message = "an identifier must not contain control characters"
        raise ValidationFailed(message, {"value": [message]})
    try:
        canonical = normalize_identifier(scheme, value)
    except ValueError as exc:
        # A value failing its check can still name a work that a source gave it to, unverified.
        unverified = select(Identifier.work_id).where(
            Identifier.scheme == scheme,
            Identifier.value == unverified_form(scheme, value),
            Identifier.verified.is_(False),
        )
        found = sorted(set(session.scalars(unverified)))
        if len(found) == 1:
            return found[0]
        raise ValidationFailed(str(exc), {"value": [str(exc)]}) from exc
    stmt = select(Identifier.work_id).where(
        Identifier.scheme == scheme, Identifier.value == canonical
    )
    ids = sorted({survivor_of(session, i) for i in session.scalars(stmt)})
    if not ids:
        raise NotFound(f"no work with {scheme} {canonical}")
    if len(ids) > 1:
        raise NotFound(f"{scheme} {canonical} is a placeholder shared by {len(ids)} works")
    return ids[0]


def load_parties(session: Session, party_ids: list[int]) -> list[Party]:
    """Load the parties that exist among party_ids, with identifiers and names, in that order."""
    stmt = (
        select(Party)
        .where(Party.id.in_(party_ids))
        .options(selectinload(Party.identifiers), selectinload(Party.names))
    )
    found = {party.id: party for party in session.scalars(stmt)}
    return [found[pid] for pid in party_ids if pid in found]


def load_party(session: Session, party_id: int) -> Party:
    """Load a party with its identifiers and names or raise NotFound."""
    parties = load_parties(session, [party_id])
    if not parties:
        raise NotFound(f"no party with id {party_id}")
    return parties[0]
