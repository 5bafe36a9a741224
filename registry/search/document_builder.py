"""Build a work's index document from its row and fact rows, as plain tuples, quickly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson

from registry.models.base import as_utc
from registry.search.document_bounds import bound_nested
from schemas.text import fold

TITLE_SORT_LENGTH = 500


def build_document(
    work: Sequence[Any],
    titles: Sequence[Any],
    identifiers: Sequence[Any],
    countries: Sequence[Any],
    agencies: Sequence[Any],
    contributions: Sequence[Any],
    rights: Sequence[Any],
    licenses: Sequence[Any],
    coproductions: Sequence[Any],
) -> dict[str, Any]:
    """Build the index document of a work from its row and its fact rows (columns as queried).

    Sets are sorted and de-duplicated; the common shapes (no fact, one fact) skip the sets.
    Values may come typed by SQLAlchemy or as the driver gives them (SQLite: flags as 0/1,
    times and dates as stored text; PostgreSQL: numerics as Decimal): the document is the same.
    """
    (work_id, version, work_type, year, year_end, runtime, episodes, incomplete, deleted,
     parent_id, sequence, updated_at, languages, primary, _merged) = work  # fmt: skip
    if len(countries) > 1:
        country_list = sorted({c[1] for c in countries})
    else:
        country_list = [countries[0][1]] if countries else []
    several = len(country_list) > 1
    if coproductions:
        copro = {c[2] for c in coproductions}
        is_copro = several or bool(copro)
        copro_countries = sorted(copro | set(country_list)) if several else sorted(copro)
    else:
        is_copro, copro_countries = several, list(country_list) if several else []
    if rights or licenses or coproductions or len(contributions) > 1:
        people_folded, party_ids = _people(contributions, rights, licenses, coproductions)
    elif contributions:
        people_folded, party_ids = [contributions[0][4]], [contributions[0][1]]
    else:
        people_folded, party_ids = [], []
    if len(titles) == 1:
        t = titles[0]
        title, title_folded = t[1], t[2]
        title_docs = [_title(t)]
        titles_folded = [title_folded]
    elif titles:
        chosen = _choose(titles, primary)
        title, title_folded = chosen[1], chosen[2]
        title_docs = _unique_titles(titles)
        titles_folded = sorted({t["folded"] for t in title_docs})
    else:
        title = f"work {work_id}"
        title_folded, title_docs, titles_folded = fold(title), [], []
    if len(identifiers) == 1:
        _w, scheme, value = identifiers[0]
        identifier_list, identifier_values = [f"{scheme}:{value}"], [value]
    else:
        identifier_list = sorted({f"{i[1]}:{i[2]}" for i in identifiers})
        identifier_values = sorted({i[2] for i in identifiers})
    if len(agencies) > 1:
        agency_list = sorted({a[1] for a in agencies})
    else:
        agency_list = [agencies[0][1]] if agencies else []
    return bound_nested(
        {
            "work_id": work_id,
            "version": version,
            "work_type": work_type,
            "year": year,
            "year_end": year_end,
            "decade": (year // 10) * 10 if year else None,
            "runtime_minutes": float(runtime) if runtime.__class__ is Decimal else runtime,
            "episode_count": episodes,
            "incomplete": None if incomplete is None else bool(incomplete),
            "deleted": None if deleted is None else bool(deleted),
            "parent_id": parent_id,
            "sequence": sequence,
            "updated_at": _utc_text(updated_at) if updated_at else None,
            "countries_of_origin": country_list,
            "original_languages": json_list(languages),
            "agencies": agency_list,
            "is_coproduction": is_copro,
            "coproduction_countries": copro_countries,
            "display_title": title,
            "title_sort": title_folded[:TITLE_SORT_LENGTH],
            "titles_folded": titles_folded,
            "titles": title_docs,
            "identifiers": identifier_list,
            "identifier_values": identifier_values,
            "people_folded": people_folded,
            "party_ids": party_ids,
            "media": sorted({m for lic in licenses for m in loads_list(lic[8])})
            if licenses
            else [],
            "contributors": _contributors(contributions) if contributions else [],
            "rights": [_holding(r) for r in rights] if rights else [],
            "licenses": [_license(lic) for lic in licenses] if licenses else [],
        }
    )


def _utc_text(moment: datetime | str) -> str:
    """Return a stored time in ISO 8601 with its UTC offset; naive times are UTC.

    SQLite's driver gives the stored text, read here as SQLAlchemy reads it (fromisoformat).
    """
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return moment.isoformat() + "+00:00"
    return as_utc(moment).isoformat()


def _people(
    contributions: Sequence[Any],
    rights: Sequence[Any],
    licenses: Sequence[Any],
    coproductions: Sequence[Any],
) -> tuple[list[str], list[int]]:
    """Return the folded names of everyone named on a work (sorted by name) and their ids."""
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
    return [folded for _name, folded in sorted(people)], sorted(party_ids)


def _choose(titles: Sequence[Any], primary: int | None) -> Any:
    """Pick the shown title row: the primary source's original, else an original, else the first."""
    first_original = None
    for t in titles:
        if t[4] == "original":
            if t[6] == primary:
                return t
            if first_original is None:
                first_original = t
    return first_original if first_original is not None else titles[0]


def _title(t: Sequence[Any]) -> dict[str, Any]:
    """Return the nested document of a title row."""
    return {"text": t[1], "folded": t[2], "language": t[3], "kind": t[4], "territory": t[5]}


def _day(value: date | str) -> str:
    """Return a date in ISO 8601 (SQLite's driver gives the stored text)."""
    return (date.fromisoformat(value) if isinstance(value, str) else value).isoformat()


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


def _unique_titles(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Return each distinct (text, language, kind) once, in stored order."""
    seen: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for t in rows:
        key = (t[1], t[3], t[4])
        if key not in seen:
            seen[key] = _title(t)
    return list(seen.values())


def _contributors(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Return each distinct (party, role) once."""
    if len(rows) == 1:
        _work, party_id, role, name, folded = rows[0]
        return [{"party_id": party_id, "name": name, "name_folded": folded, "role": role}]
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
        "share_pct": float(share) if share.__class__ is Decimal else share,
        "territories": json_list(territories),
        "valid_from": _day(valid_from) if valid_from else None,
        "valid_to": _day(valid_to) if valid_to else None,
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
        "start": _day(start) if start else None,
        "end": _day(end) if end else None,
        "exclusive": None if exclusive is None else bool(exclusive),
        "status": status,
    }
