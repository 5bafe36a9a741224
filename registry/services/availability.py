"""Answer who may exploit a work where and when, and which claims conflict."""

from __future__ import annotations

from datetime import date
from itertools import combinations
from typing import Any

from sqlalchemy.orm import Session

from registry.services.read import license_view, load_work, rights_view, source_index

LIVE_STATUSES = ("active", "expired")


def _covers(start: date | None, end: date | None, on: date) -> bool:
    """Tell whether a window [start, end] contains the day (open ends are unbounded)."""
    return (start is None or start <= on) and (end is None or on <= end)


def _overlap(a: Any, b: Any) -> bool:
    """Tell whether two licence windows share at least one day."""
    a_start, b_start = a.start or date.min, b.start or date.min
    a_end, b_end = a.end or date.max, b.end or date.max
    return a_start <= b_end and b_start <= a_end


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


def exclusive_conflicts(licenses: list[Any]) -> list[dict[str, Any]]:
    """Find exclusive licences that overlap in medium, territory and window."""
    found = []
    live = [lic for lic in licenses if lic.status in LIVE_STATUSES]
    for a, b in combinations(live, 2):
        if not (a.exclusive or b.exclusive):
            continue
        media = sorted(set(a.media or []) & set(b.media or []))
        territories = sorted(set(a.territories or []) & set(b.territories or []))
        if media and territories and _overlap(a, b) and a.licensee_party_id != b.licensee_party_id:
            found.append(
                {
                    "type": "exclusive_overlap",
                    "licenses": [a.id, b.id],
                    "media": media,
                    "territories": territories[:50],
                    "territory_count": len(territories),
                }
            )
    return found


def share_conflicts(rights: list[Any]) -> list[dict[str, Any]]:
    """Find rights whose declared shares add up to more than 100% in one territory."""
    totals: dict[tuple[str, str], tuple[float, list[int]]] = {}
    for r in rights:
        if r.share_pct is None:
            continue
        for territory in r.territories or ["*"]:
            total, ids = totals.get((r.right_type, territory), (0.0, []))
            totals[(r.right_type, territory)] = (total + r.share_pct, [*ids, r.id])
    found = []
    for (right_type, territory), (total, ids) in sorted(totals.items()):
        if total > 100.0001:
            found.append(
                {
                    "type": "shares_over_100",
                    "right_type": right_type,
                    "territory": territory,
                    "total_pct": round(total, 4),
                    "rights": ids,
                }
            )
    return found


def availability(
    session: Session, work_id: int, territory: str | None, media: str | None, on: date | None
) -> dict[str, Any]:
    """Return the licences and rights that apply, and the conflicts among them."""
    work = load_work(session, work_id)
    sources = source_index(session, work)
    licenses = [lic for lic in work.licenses if license_applies(lic, territory, media, on)]
    rights = [
        r
        for r in work.rights
        if (not territory or not r.territories or territory in r.territories)
        and (on is None or _covers(r.valid_from, r.valid_to, on))
    ]
    conflicts = exclusive_conflicts(licenses if on else list(work.licenses))
    conflicts += share_conflicts(rights)
    exclusive = [lic for lic in licenses if lic.exclusive]
    return {
        "work_id": work.id,
        "query": {"territory": territory, "media": media, "on": on.isoformat() if on else None},
        "available": bool(licenses),
        "exclusive_holder": [lic.licensee_party_id for lic in exclusive],
        "licenses": [license_view(lic, sources) for lic in licenses],
        "rights": [rights_view(r, sources) for r in rights],
        "conflicts": conflicts,
    }
