"""Lay licence windows out on a time axis, one row per territory and medium."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

OPEN_END_YEARS = 2


@dataclass
class Bar:
    """One licence window on a row."""

    license_id: int
    start: date | None
    end: date | None
    left_pct: float
    width_pct: float
    licensee: str
    exclusive: bool | None
    conflict: bool


@dataclass
class Row:
    """The licences of one territory (or region expression) and one medium."""

    territories: list[str]
    expression: str | None
    medium: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Timeline:
    """Rows of bars between two years, with a tick per year boundary."""

    first: date
    last: date
    ticks: list[tuple[int, float]]
    rows: list[Row]


def _day(value: Any) -> date | None:
    """Return a date from an ISO string, a date or None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _axis(licences: list[dict[str, Any]], today: date) -> tuple[date, date]:
    """Return the first and last day the axis shows: whole years around every window."""
    starts = [d for d in (_day(x.get("start")) for x in licences) if d]
    ends = [d for d in (_day(x.get("end")) for x in licences) if d]
    first = min(starts + ends + [today])
    last = max(starts + ends + [today])
    if any(x.get("end") is None for x in licences):
        last = max(last, date(today.year + OPEN_END_YEARS, 12, 31))
    return date(first.year, 1, 1), date(last.year, 12, 31)


def _pct(day: date, first: date, span: int) -> float:
    """Return where a day falls on the axis, in percent."""
    return round(max(0.0, min(100.0, (day - first).days / span * 100)), 3)


def build_timeline(
    licences: list[dict[str, Any]], conflicting: set[int], today: date
) -> Timeline | None:
    """Group licences by territory and medium and place each window on a shared axis."""
    if not licences:
        return None
    first, last = _axis(licences, today)
    span = max((last - first).days, 1)
    rows: dict[tuple[str, str], Row] = {}
    for lic in licences:
        territories = list(lic.get("territories") or [])
        expression = lic.get("territory_expression")
        key_text = expression or ",".join(territories)
        start, end = _day(lic.get("start")), _day(lic.get("end"))
        left = _pct(start or first, first, span)
        right = _pct(end or last, first, span)
        licensee = (lic.get("licensee") or {}).get("name") or ""
        for medium in lic.get("media") or ["other"]:
            row = rows.setdefault(
                (key_text, medium),
                Row(territories=territories, expression=expression, medium=medium),
            )
            row.bars.append(
                Bar(
                    license_id=lic["id"],
                    start=start,
                    end=end,
                    left_pct=left,
                    width_pct=max(round(right - left, 3), 0.5),
                    licensee=licensee,
                    exclusive=lic.get("exclusive"),
                    conflict=lic["id"] in conflicting,
                )
            )
    ticks = [
        (year, _pct(date(year, 1, 1), first, span)) for year in range(first.year, last.year + 1)
    ]
    ordered = [rows[k] for k in sorted(rows)]
    return Timeline(first=first, last=last, ticks=ticks, rows=ordered)
