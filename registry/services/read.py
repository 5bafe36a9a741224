"""Read whole work aggregates with the source of every fact."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.errors import NotFound, ValidationFailed
from registry.models import Identifier, ImportBatch, Party, SourceRecord, Work
from registry.models.base import as_utc
from registry.search.documents import display_title, works_with_facts
from schemas.identifiers import normalize_identifier

SCALAR_FIELDS = ("work_type", "year", "year_end", "runtime_minutes", "episode_count")


def load_work(session: Session, work_id: int) -> Work:
    """Load a work with all its facts or raise NotFound."""
    work = session.scalars(works_with_facts().where(Work.id == work_id)).first()
    if work is None:
        raise NotFound(f"no work with id {work_id}")
    return work


def party_summary(party: Party | None) -> dict[str, Any] | None:
    """Return the short form of a party used inside other resources."""
    if party is None:
        return None
    return {"id": party.id, "kind": party.kind, "name": party.name, "country": party.country}


def _date(value: Any) -> str | None:
    """Return an ISO date or None."""
    return value.isoformat() if value else None


def source_index(session: Session, work: Work) -> dict[int, dict[str, Any]]:
    """Return a description of each source record of the work by id."""
    batch_ids = {s.import_batch_id for s in work.sources if s.import_batch_id}
    batches = (
        {b.id: b for b in session.scalars(select(ImportBatch).where(ImportBatch.id.in_(batch_ids)))}
        if batch_ids
        else {}
    )
    records = session.scalars(select(SourceRecord).where(SourceRecord.work_id == work.id)).all()
    out = {}
    for s in records:
        batch = batches.get(s.import_batch_id)
        out[s.id] = {
            "record_id": s.id,
            "agency": s.agency_code,
            "format": s.source_format,
            "key": s.source_key,
            "locator": s.locator,
            "authoritative": s.authoritative,
            "import_batch": s.import_batch_id,
            "file": batch.file_name if batch else None,
            "updated_at": as_utc(s.updated_at).isoformat() if s.updated_at else None,
        }
    return out


def _src(sources: dict[int, dict[str, Any]], record_id: int) -> dict[str, Any]:
    """Return the compact provenance attached to one fact."""
    s = sources.get(record_id, {})
    return {k: s.get(k) for k in ("record_id", "agency", "format", "key", "import_batch")}


def work_detail(session: Session, work_id: int) -> dict[str, Any]:
    """Return the full aggregate of a work with each fact's source and any conflicts."""
    work = load_work(session, work_id)
    sources = source_index(session, work)
    records = {
        s.id: s
        for s in session.scalars(select(SourceRecord).where(SourceRecord.work_id == work.id))
    }
    return {
        "id": work.id,
        "version": work.version,
        "display_title": display_title(work),
        "work_type": work.work_type,
        "year": work.year,
        "year_end": work.year_end,
        "runtime_minutes": work.runtime_minutes,
        "episode_count": work.episode_count,
        "original_languages": list(work.original_languages or []),
        "countries_of_origin": sorted({c.country for c in work.countries}),
        "parent_id": work.parent_id,
        "sequence": work.sequence,
        "incomplete": work.incomplete,
        "deleted": work.deleted,
        "created_at": as_utc(work.created_at).isoformat(),
        "updated_at": as_utc(work.updated_at).isoformat(),
        "titles": [
            {
                "text": t.text,
                "language": t.language,
                "kind": t.kind,
                "territory": t.territory,
                "source": _src(sources, t.source_record_id),
            }
            for t in work.titles
        ],
        "identifiers": [
            {"scheme": i.scheme, "value": i.value, "source": _src(sources, i.source_record_id)}
            for i in work.identifiers
        ],
        "countries": [
            {"country": c.country, "source": _src(sources, c.source_record_id)}
            for c in work.countries
        ],
        "contributions": [
            {
                "party": party_summary(c.party),
                "role": c.role,
                "credit_order": c.credit_order,
                "source": _src(sources, c.source_record_id),
            }
            for c in work.contributions
        ],
        "rights": [rights_view(r, sources) for r in work.rights],
        "licenses": [license_view(lic, sources) for lic in work.licenses],
        "coproductions": [
            {
                "country": c.country,
                "party": party_summary(c.party),
                "share_pct": c.share_pct,
                "role": c.role,
                "source": _src(sources, c.source_record_id),
            }
            for c in work.coproductions
        ],
        "attributes": [
            {"values": records[sid].normalized.get("attributes", {}), "source": _src(sources, sid)}
            for sid in sorted(records)
            if records[sid].normalized.get("attributes")
        ],
        "sources": list(sources.values()),
        "conflicts": scalar_conflicts(records.values()),
    }


def rights_view(r: Any, sources: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Return the API form of a rights holding."""
    return {
        "id": r.id,
        "holder": party_summary(r.holder),
        "right_type": r.right_type,
        "share_pct": r.share_pct,
        "territories": list(r.territories or []),
        "territory_expression": r.territory_expression,
        "valid_from": _date(r.valid_from),
        "valid_to": _date(r.valid_to),
        "source": _src(sources, r.source_record_id),
    }


def license_view(lic: Any, sources: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Return the API form of a licence."""
    return {
        "id": lic.id,
        "licensor": party_summary(lic.licensor),
        "licensee": party_summary(lic.licensee),
        "media": list(lic.media or []),
        "territories": list(lic.territories or []),
        "territory_expression": lic.territory_expression,
        "languages": list(lic.languages or []),
        "exclusive": lic.exclusive,
        "start": _date(lic.start),
        "end": _date(lic.end),
        "status": lic.status,
        "external_id": lic.external_id,
        "terms": lic.terms or {},
        "source": _src(sources, lic.source_record_id),
    }


def scalar_conflicts(records: Any) -> list[dict[str, Any]]:
    """List the fields on which sources state different values."""
    conflicts = []
    for name in SCALAR_FIELDS:
        claims: dict[str, list[int]] = {}
        for record in records:
            value = record.normalized.get(name)
            if value is not None:
                claims.setdefault(str(value), []).append(record.id)
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
    try:
        canonical = normalize_identifier(scheme, value)
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"value": [str(exc)]}) from exc
    stmt = select(Identifier.work_id).where(
        Identifier.scheme == scheme, Identifier.value == canonical
    )
    ids = sorted(set(session.scalars(stmt)))
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
