"""The plain reading of the index document's rules, kept to check the fast builder against.

This is `build_document` as it stood before documents were built from plain tuples; the fast
builder in registry/search/documents.py must give the same bytes for every work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from registry.models.base import as_utc
from schemas.text import fold

TITLE_SORT_LENGTH = 500


def choose_title(titles: Sequence[Any], primary: int | None) -> Any:
    """Pick the shown title (the primary source's original, else any original, else the first)."""
    originals = [t for t in titles if t.kind == "original"]
    preferred = [t for t in originals if t.source_record_id == primary]
    return (preferred or originals or list(titles) or [None])[0]


def json_list(value: Any) -> Any:
    """Return a list column for the document: stored JSON text is embedded as it is."""
    if isinstance(value, str):
        return orjson.Fragment(value)
    return list(value or [])


def loads_list(value: Any) -> list[Any]:
    """Return a list column's items, decoding stored JSON text."""
    if isinstance(value, str):
        return orjson.loads(value) or []
    return list(value or [])


def reference_document(work: Any, facts: dict[str, list[Any]]) -> dict[str, Any]:
    """Build the index document of a work from its row and its fact rows (columns as queried)."""
    countries = sorted({c[1] for c in facts["countries"]})
    copro_countries = sorted({c[2] for c in facts["coproductions"]})
    contributions, rights, licenses = facts["contributions"], facts["rights"], facts["licenses"]
    coproductions = facts["coproductions"]
    people = {(c[3], c[4]) for c in contributions}
    party_ids = {c[1] for c in contributions}
    if rights:
        people |= {(r[2], r[3]) for r in rights}
        party_ids |= {r[1] for r in rights}
    if licenses:
        people |= {(lic[3], lic[4]) for lic in licenses if lic[3] is not None}
        people |= {(lic[6], lic[7]) for lic in licenses if lic[6] is not None}
        party_ids |= {p for lic in licenses for p in (lic[2], lic[5]) if p}
    if coproductions:
        people |= {(c[3], c[4]) for c in coproductions if c[3] is not None}
        party_ids |= {c[1] for c in coproductions if c[1]}
    title_rows = facts["titles"]
    chosen = choose_title(title_rows, work.primary_source_id)
    title = chosen.text if chosen else f"work {work.id}"
    title_folded = chosen.text_folded if chosen else fold(title)
    titles = _unique_titles(title_rows)
    identifiers = facts["identifiers"]
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
        "original_languages": json_list(work.original_languages),
        "agencies": sorted({s[1] for s in facts["agencies"]}),
        "is_coproduction": len(countries) > 1 or bool(copro_countries),
        "coproduction_countries": sorted(
            set(copro_countries) | (set(countries) if len(countries) > 1 else set())
        ),
        "display_title": title,
        "title_sort": title_folded[:TITLE_SORT_LENGTH],
        "titles_folded": sorted({t["folded"] for t in titles}),
        "titles": titles,
        "identifiers": sorted({f"{i[1]}:{i[2]}" for i in identifiers}),
        "identifier_values": sorted({i[2] for i in identifiers}),
        "people_folded": [folded for _name, folded in sorted(people)],
        "party_ids": sorted(party_ids),
        "media": sorted({m for lic in licenses for m in loads_list(lic[8])}) if licenses else [],
        "contributors": _contributors(contributions) if contributions else [],
        "rights": [_holding(r) for r in rights],
        "licenses": [_license(lic) for lic in licenses],
    }


def _unique_titles(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Return each distinct (text, language, kind) once, in stored order."""
    seen: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for t in rows:
        key = (t.text, t.language, t.kind)
        if key not in seen:
            seen[key] = {
                "text": t.text,
                "folded": t.text_folded,
                "language": t.language,
                "kind": t.kind,
                "territory": t.territory,
            }
    return list(seen.values())


def _contributors(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Return each distinct (party, role) once."""
    seen: dict[tuple[int, str], dict[str, Any]] = {}
    for _work, party_id, role, name, folded in rows:
        if (party_id, role) not in seen:
            seen[(party_id, role)] = {
                "party_id": party_id,
                "name": name,
                "name_folded": folded,
                "role": role,
            }
    return list(seen.values())


def _holding(r: Any) -> dict[str, Any]:
    """Return the nested document of a rights holding."""
    _work, holder, name, folded, right_type, share, territories, valid_from, valid_to = r
    return {
        "holder_id": holder,
        "holder_name": name,
        "holder_folded": folded,
        "right_type": right_type,
        "share_pct": share,
        "territories": json_list(territories),
        "valid_from": valid_from.isoformat() if valid_from else None,
        "valid_to": valid_to.isoformat() if valid_to else None,
    }


def _license(lic: Any) -> dict[str, Any]:
    """Return the nested document of a licence."""
    (_work, license_id, licensor_id, licensor_name, _licensor_folded, licensee_id,
     licensee_name, licensee_folded, media, territories, languages, start, end, exclusive,
     status) = lic  # fmt: skip
    return {
        "license_id": license_id,
        "licensor_id": licensor_id,
        "licensor_name": licensor_name if licensor_id else None,
        "licensee_id": licensee_id,
        "licensee_name": licensee_name if licensee_id else None,
        "licensee_folded": licensee_folded if licensee_id else None,
        "media": json_list(media),
        "territories": json_list(territories),
        "languages": json_list(languages),
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "exclusive": exclusive,
        "status": status,
    }
