"""Map a work and its facts to its index document: one function for single and bulk indexing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from registry.models import SourceRecord, Work
from registry.models.base import as_utc
from schemas.text import fold


def works_with_facts() -> Select[tuple[Work]]:
    """Return a query loading works with everything their documents need."""
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
    originals = [t for t in work.titles if t.kind == "original"]
    primary = [t for t in originals if t.source_record_id == work.primary_source_id]
    chosen = (primary or originals or work.titles or [None])[0]
    return chosen.text if chosen else f"work {work.id}"


def work_document(work: Work) -> dict[str, Any]:
    """Build the index document of a work."""
    countries = sorted({c.country for c in work.countries})
    copro_countries = sorted({c.country for c in work.coproductions})
    titles = _unique_titles(work)
    people = sorted(
        {c.party.name for c in work.contributions}
        | {r.holder.name for r in work.rights}
        | {p.name for lic in work.licenses for p in (lic.licensor, lic.licensee) if p}
        | {c.party.name for c in work.coproductions if c.party}
    )
    title = display_title(work)
    return {
        "work_id": work.id,
        "version": work.version,
        "work_type": work.work_type,
        "year": work.year,
        "year_end": work.year_end,
        "decade": (work.year // 10) * 10 if work.year else None,
        "runtime_minutes": work.runtime_minutes,
        "episode_count": work.episode_count,
        "incomplete": work.incomplete,
        "deleted": work.deleted,
        "parent_id": work.parent_id,
        "sequence": work.sequence,
        "updated_at": as_utc(work.updated_at).isoformat() if work.updated_at else None,
        "countries_of_origin": countries,
        "original_languages": list(work.original_languages or []),
        "agencies": sorted({s.agency_code for s in work.sources}),
        "is_coproduction": len(countries) > 1 or bool(copro_countries),
        "coproduction_countries": sorted(
            set(copro_countries) | (set(countries) if len(countries) > 1 else set())
        ),
        "display_title": title,
        "title_sort": fold(title)[:500],
        "titles_folded": sorted({t["folded"] for t in titles}),
        "titles": titles,
        "identifiers": sorted({f"{i.scheme}:{i.value}" for i in work.identifiers}),
        "identifier_values": sorted({i.value for i in work.identifiers}),
        "people_folded": [fold(name) for name in people],
        "party_ids": sorted(_party_ids(work)),
        "media": sorted({m for lic in work.licenses for m in lic.media}),
        "contributors": _contributors(work),
        "rights": [_holding(r) for r in work.rights],
        "licenses": [_license(lic) for lic in work.licenses],
    }


def _unique_titles(work: Work) -> list[dict[str, Any]]:
    """Return each distinct title once."""
    seen: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for t in work.titles:
        key = (t.text, t.language, t.kind)
        seen.setdefault(
            key,
            {
                "text": t.text,
                "folded": t.text_folded,
                "language": t.language,
                "kind": t.kind,
                "territory": t.territory,
            },
        )
    return list(seen.values())


def _party_ids(work: Work) -> set[int]:
    """Return the ids of every party linked to the work."""
    ids = {c.party_id for c in work.contributions} | {r.holder_party_id for r in work.rights}
    ids |= {p for lic in work.licenses for p in (lic.licensor_party_id, lic.licensee_party_id) if p}
    ids |= {c.party_id for c in work.coproductions if c.party_id}
    return ids


def _contributors(work: Work) -> list[dict[str, Any]]:
    """Return each distinct (party, role) once."""
    seen: dict[tuple[int, str], dict[str, Any]] = {}
    for c in work.contributions:
        seen.setdefault(
            (c.party_id, c.role),
            {
                "party_id": c.party_id,
                "name": c.party.name,
                "name_folded": c.party.name_folded,
                "role": c.role,
            },
        )
    return list(seen.values())


def _holding(r: Any) -> dict[str, Any]:
    """Return the nested document of a rights holding."""
    return {
        "holder_id": r.holder_party_id,
        "holder_name": r.holder.name,
        "holder_folded": r.holder.name_folded,
        "right_type": r.right_type,
        "share_pct": r.share_pct,
        "territories": list(r.territories or []),
        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
    }


def _license(lic: Any) -> dict[str, Any]:
    """Return the nested document of a licence."""
    return {
        "license_id": lic.id,
        "licensor_id": lic.licensor_party_id,
        "licensor_name": lic.licensor.name if lic.licensor else None,
        "licensee_id": lic.licensee_party_id,
        "licensee_name": lic.licensee.name if lic.licensee else None,
        "licensee_folded": lic.licensee.name_folded if lic.licensee else None,
        "media": list(lic.media or []),
        "territories": list(lic.territories or []),
        "languages": list(lic.languages or []),
        "start": lic.start.isoformat() if lic.start else None,
        "end": lic.end.isoformat() if lic.end else None,
        "exclusive": lic.exclusive,
        "status": lic.status,
    }
