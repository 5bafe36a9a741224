"""Answer who may exploit a work where and when, and which claims conflict."""

from __future__ import annotations

import heapq
from collections import defaultdict, namedtuple
from collections.abc import Iterator
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session

from registry.models import License, RightsHolding
from registry.services.read import DETAIL_PAGE, load_work_row, page_info, source_index, sourced

LIVE_STATUSES = ("active", "expired")


def _covers(start: date | None, end: date | None, on: date) -> bool:
    """Tell whether a window [start, end] contains the day (open ends are unbounded)."""
    return (start is None or start <= on) and (end is None or on <= end)


def license_applies(lic: Any, territory: str | None, media: str | None, on: date | None) -> bool:
    """Tell whether a licence covers a territory, medium and day."""
    if lic.status not in LIVE_STATUSES:
        return False
    if territory and territory not in (lic.territories or []):
        return False
    if media and media not in (lic.media or []):
        return False
    if on is None:
        return True
    if lic.start is None and "start_condition" in (lic.terms or {}):
        return False
    return _covers(lic.start, lic.end, on)


MAX_CONFLICTS = 100
MAX_LISTED = 50


def _overlapping_pairs(licenses: list[Any]) -> Iterator[tuple[Any, Any]]:
    """Yield pairs sharing a medium, a territory and a day, by a sweep over start dates.

    Licences are bucketed by (medium, territory) and swept in start order; a licence is only
    compared with the active licences of other licensees, and a non-exclusive one only with
    exclusive ones, so every comparison is a conflict: the cost is the sort plus the output.
    """
    buckets: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for lic in licenses:
        for medium in set(lic.media or []):
            for territory in set(lic.territories or []):
                buckets[(medium, territory)].append(lic)
    swept: set[tuple[int, ...]] = set()
    for bucket in buckets.values():
        if len(bucket) < 2 or not any(lic.exclusive for lic in bucket):
            continue
        members = tuple(lic.id for lic in bucket)
        if members in swept:  # the same licences over another medium or territory: same pairs
            continue
        swept.add(members)
        bucket.sort(key=lambda lic: (lic.start or date.min, lic.id))
        yield from _sweep(bucket)


def _sweep(bucket: list[Any]) -> Iterator[tuple[Any, Any]]:
    """Yield the conflicting pairs of one (medium, territory) bucket sorted by start."""
    ending: list[tuple[date, int, Any]] = []
    active: dict[Any, dict[bool, dict[int, Any]]] = {}
    exclusive_holders: dict[Any, int] = {}
    for lic in bucket:
        start = lic.start or date.min
        while ending and ending[0][0] < start:
            _, _, gone = heapq.heappop(ending)
            groups = active[gone.licensee_party_id]
            del groups[bool(gone.exclusive)][gone.id]
            if gone.exclusive:
                exclusive_holders[gone.licensee_party_id] -= 1
                if not exclusive_holders[gone.licensee_party_id]:
                    del exclusive_holders[gone.licensee_party_id]
            if not groups[True] and not groups[False]:
                del active[gone.licensee_party_id]
        holders = list(active) if lic.exclusive else list(exclusive_holders)
        for holder in holders:
            if holder == lic.licensee_party_id:
                continue
            groups = active[holder]
            others = [*groups[True].values(), *groups[False].values()]
            for other in others if lic.exclusive else groups[True].values():
                yield (other, lic) if other.id < lic.id else (lic, other)
        groups = active.setdefault(lic.licensee_party_id, {True: {}, False: {}})
        groups[bool(lic.exclusive)][lic.id] = lic
        if lic.exclusive:
            exclusive_holders[lic.licensee_party_id] = (
                exclusive_holders.get(lic.licensee_party_id, 0) + 1
            )
        heapq.heappush(ending, (lic.end or date.max, lic.id, lic))


def exclusive_conflicts(licenses: list[Any], limit: int = MAX_CONFLICTS) -> list[dict[str, Any]]:
    """Find up to limit pairs of overlapping licences, one of them exclusive, in id order.

    A licence whose window ends before it starts covers no day and conflicts with nothing.
    """
    live = [
        lic
        for lic in licenses
        if lic.status in LIVE_STATUSES and (lic.start or date.min) <= (lic.end or date.max)
    ]
    pairs: dict[tuple[int, int], tuple[Any, Any]] = {}
    for a, b in _overlapping_pairs(live):
        pairs.setdefault((a.id, b.id), (a, b))
        if len(pairs) >= limit:
            break
    found = []
    for _, (a, b) in sorted(pairs.items()):
        media = sorted(set(a.media or []) & set(b.media or []))
        territories = sorted(set(a.territories or []) & set(b.territories or []))
        found.append(
            {
                "type": "exclusive_overlap",
                "licenses": [a.id, b.id],
                "media": media,
                "territories": territories[:MAX_LISTED],
                "territory_count": len(territories),
            }
        )
    return found


def share_conflicts(rights: list[Any], limit: int = MAX_CONFLICTS) -> list[dict[str, Any]]:
    """Find rights whose declared shares add up to more than 100% in one territory."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (right_type, territories), (total, ids) in _by_territories(rights).items():
        for territory in territories or ("*",):
            totals[(right_type, territory)] += total
            holders[(right_type, territory)].extend(ids)
    found = []
    for (right_type, territory), total in sorted(totals.items()):
        if total > 100.0001:
            found.append(
                {
                    "type": "shares_over_100",
                    "right_type": right_type,
                    "territory": territory,
                    "total_pct": round(total, 4),
                    "rights": sorted(holders[(right_type, territory)])[:MAX_LISTED],
                }
            )
            if len(found) >= limit:
                break
    return found


def _by_territories(rights: list[Any]) -> dict[tuple[str, tuple[str, ...]], tuple[float, list]]:
    """Sum the shares of rights stating the same right type over the same territories.

    Each territory is then visited once per distinct list rather than once per right: a work
    whose thousands of records restate one holding costs what one holding does.
    """
    grouped: dict[tuple[str, tuple[str, ...]], tuple[float, list[int]]] = {}
    for r in rights:
        if r.share_pct is None:
            continue
        key = (r.right_type, tuple(r.territories or ()))
        total, ids = grouped.get(key, (0.0, []))
        if len(ids) < MAX_LISTED:
            ids.append(r.id)
        grouped[key] = (total + r.share_pct, ids)
    return grouped


def availability(
    session: Session, work_id: int, territory: str | None, media: str | None, on: date | None
) -> dict[str, Any]:
    """Return the licences and rights that apply (up to a ceiling), and the conflicts among them."""
    work = load_work_row(session, work_id)
    all_licenses = _rows(session, License, work.id)
    all_rights = _rows(session, RightsHolding, work.id)
    licenses = [lic for lic in all_licenses if license_applies(lic, territory, media, on)]
    rights = [
        r
        for r in all_rights
        if (not territory or not r.territories or territory in r.territories)
        and (on is None or _covers(r.valid_from, r.valid_to, on))
    ]
    conflicts = exclusive_conflicts(licenses if on else list(all_licenses))
    conflicts += share_conflicts(rights)
    exclusive = [lic for lic in licenses if lic.exclusive]
    shown_licenses = _loaded(session, License, licenses[:DETAIL_PAGE])
    shown_rights = _loaded(session, RightsHolding, rights[:DETAIL_PAGE])
    record_ids = [row.source_record_id for row in (*shown_licenses, *shown_rights)]
    sources = source_index(session, work.id, record_ids)
    return {
        "work_id": work.id,
        "query": {"territory": territory, "media": media, "on": on.isoformat() if on else None},
        "available": bool(licenses),
        "exclusive_holder": [lic.licensee_party_id for lic in exclusive][:MAX_LISTED],
        "licenses": sourced(shown_licenses, sources),
        "rights": sourced(shown_rights, sources),
        "conflicts": conflicts,
        "pages": {
            "licenses": page_info(len(licenses), min(len(licenses), DETAIL_PAGE), None),
            "rights": page_info(len(rights), min(len(rights), DETAIL_PAGE), None),
        },
    }


LIST_COLUMNS = ("media", "territories", "languages")  # JSON lists of codes the registry wrote


def _rows(session: Session, model: Any, work_id: int) -> list[Any]:
    """Return a work's rows of a fact table as plain named tuples (no objects), in id order.

    On SQLite the code lists arrive as stored text and are decoded with orjson, several times
    faster than the driver's json.loads over a work of thousands of licences.
    """
    table = model.__table__
    raw = session.get_bind().dialect.name == "sqlite"
    lists = [name for name in LIST_COLUMNS if name in table.c] if raw else []
    columns = [type_coerce(c, Text) if c.name in lists else c for c in table.c]
    stmt = select(*columns).where(table.c.work_id == work_id).order_by(table.c.id)
    result = session.execute(stmt)
    fact = namedtuple("fact", list(result.keys()))  # noqa: PYI024 - built from the table's columns
    positions = [index for index, name in enumerate(result.keys()) if name in lists]
    rows = []
    for row in result:
        values = list(row)
        for index in positions:
            values[index] = orjson.loads(values[index]) if values[index] else values[index]
        rows.append(fact(*values))
    return rows


def _loaded(session: Session, model: Any, rows: list[Any]) -> list[Any]:
    """Return the mapped objects (with their parties) of the given plain rows, in their order."""
    if not rows:
        return []
    found = {
        o.id: o for o in session.scalars(select(model).where(model.id.in_([r.id for r in rows])))
    }
    return [found[row.id] for row in rows]
