"""Describe each origin work (the unit of linkage) by the values the model compares."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.matching.rules import EXCLUSIVE_SCHEMES, usable
from registry.models import (
    Contribution,
    Identifier,
    License,
    Party,
    SourceRecord,
    Title,
    WorkCountry,
)
from schemas.text import fold

BATCH = 900
KEY_ROLES = ("director",)


@dataclass
class Unit:
    """What the records first created in one work say about it."""

    unit_id: int
    work_id: int
    work_type: str | None = None
    year: int | None = None
    runtime: float | None = None
    titles: set[str] = field(default_factory=set)
    directors: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    identifiers: set[tuple[str, str]] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)
    first_use: int | None = None

    def linkable(self) -> bool:
        """Tell whether the unit says enough to be compared: a title at least."""
        return bool(self.titles)

    def use(self, year: int | None) -> None:
        """Remember a year the work was licensed or released, keeping the earliest."""
        if year is not None and (self.first_use is None or year < self.first_use):
            self.first_use = year


# ANCINE numbers works B (Brazilian, CPB) or E (foreign, ROE), then the year of registration.
_ANCINE_NUMBER = re.compile(r"^[BE](\d{2})\d{11}$")


def registration_year(identifiers: Iterable[tuple[str, str]]) -> int | None:
    """Return the earliest year of registration an ANCINE CPB or ROE number carries."""
    years = [
        2000 + int(match.group(1))
        for scheme, value in identifiers
        if scheme in ("br_cpb", "br_roe") and (match := _ANCINE_NUMBER.match(value))
    ]
    return min(years, default=None)


def name_key(name: str) -> str:
    """Return a person's folded name with its words in order, so "REBELLA JUAN" = "Juan Rebella"."""
    return " ".join(sorted(fold(name).replace(",", " ").split()))


def unit_column() -> object:
    """Return the SQL expression of a source record's unit: the work it was first created in."""
    return func.coalesce(SourceRecord.origin_work_id, SourceRecord.work_id)


def unit_from_aggregate(unit_id: int, work_id: int, aggregate: dict[str, Any]) -> Unit:
    """Describe one record's aggregate (as stored in source_record.normalized) as a unit."""
    unit = Unit(unit_id, work_id, aggregate.get("work_type"), aggregate.get("year"))
    unit.runtime = aggregate.get("runtime_minutes")
    unit.titles = {f for t in aggregate.get("titles", []) if (f := fold(t.get("text")))}
    unit.directors = {
        key
        for c in aggregate.get("contributions", [])
        if c.get("role") in KEY_ROLES
        and (key := name_key((c.get("party") or {}).get("name") or ""))
        and "*" not in key
    }
    unit.countries = set(aggregate.get("countries_of_origin") or [])
    unit.identifiers = {
        (i["scheme"], i["value"])
        for i in aggregate.get("identifiers", [])
        if usable(i["scheme"], i["value"], i.get("verified", True))
    }
    for licence in aggregate.get("licenses", []):
        start = licence.get("start")
        unit.use(int(str(start)[:4]) if start else None)
    return unit


def load_units(
    session: Session,
    unit_ids: Iterable[int] | None = None,
    skip_formats: Iterable[str] = (),
) -> dict[int, Unit]:
    """Load the units given (every live unit when None) with their compared values.

    Records of skip_formats are left out, as if they had never been imported.
    """
    records = _records(session, None if unit_ids is None else sorted(set(unit_ids)))
    skipped = set(skip_formats)
    units: dict[int, Unit] = {}
    unit_of: dict[int, int] = {}
    for record_id, unit_id, work_id, agency, source_format in records:
        if source_format in skipped:
            continue
        unit = units.setdefault(unit_id, Unit(unit_id, work_id))
        unit.agencies.add(agency)
        unit_of[record_id] = unit_id
    _scalars(session, units, unit_of)
    _facts(session, units, unit_of)
    return units


def _records(session: Session, unit_ids: list[int] | None) -> list[tuple[Any, ...]]:
    """Return (record, unit, current work, agency, format) of the records of the given units."""
    columns = (
        SourceRecord.id,
        SourceRecord.origin_work_id,
        SourceRecord.work_id,
        SourceRecord.agency_code,
        SourceRecord.source_format,
    )
    if unit_ids is None:
        rows = session.execute(select(*columns))
        return [(rid, origin or work, work, agency, fmt) for rid, origin, work, agency, fmt in rows]
    return unit_records(session, unit_ids, columns[3:])


def unit_records(
    session: Session, unit_ids: Iterable[int], extra: tuple[Any, ...] = ()
) -> list[tuple[Any, ...]]:
    """Return (record, unit, current work, *extra) of the records of the given units.

    Two indexed look-ups per slice: records born elsewhere that moved into one of the units'
    works are dropped, records born in a unit are found wherever they live now.
    """
    wanted = sorted(set(unit_ids))
    seen: dict[int, tuple[Any, ...]] = {}
    columns = (SourceRecord.id, SourceRecord.origin_work_id, SourceRecord.work_id, *extra)
    for part in _chunks(wanted):
        inside = set(part)
        for column in (SourceRecord.work_id, SourceRecord.origin_work_id):
            for rid, origin, work, *rest in session.execute(
                select(*columns).where(column.in_(part))
            ):
                unit = origin or work
                if unit in inside:
                    seen[rid] = (rid, unit, work, *rest)
    return list(seen.values())


def load_identifiers(session: Session, unit_ids: Iterable[int]) -> dict[int, Unit]:
    """Load only the exclusive identifiers of the given units (what clustering checks)."""
    rows = unit_records(session, unit_ids)
    units = {unit: Unit(unit, work) for _, unit, work in rows}
    unit_of = {rid: unit for rid, unit, _ in rows}
    verified = getattr(Identifier, "verified", None)
    for part in _chunks(sorted(unit_of)):
        stmt = select(Identifier.source_record_id, Identifier.scheme, Identifier.value).where(
            Identifier.source_record_id.in_(part), Identifier.scheme.in_(EXCLUSIVE_SCHEMES)
        )
        if verified is not None:
            stmt = stmt.where(verified.isnot(False))
        for record_id, scheme, value in session.execute(stmt):
            if usable(scheme, value):
                units[unit_of[record_id]].identifiers.add((scheme, value))
    return units


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    """Yield slices of ids small enough for an IN list."""
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _scalars(session: Session, units: dict[int, Unit], unit_of: dict[int, int]) -> None:
    """Fill type, year and runtime from the unit's own records, the earliest saying each.

    Never from the work row: linkage fills a survivor's gaps from the works it absorbed, and a
    unit described by its work row would carry another agency's values into the next run.
    """
    data = SourceRecord.normalized
    columns = (
        SourceRecord.id,
        data["work_type"].as_string(),
        data["year"].as_integer(),
        data["runtime_minutes"].as_float(),
    )
    parts = [None] if len(unit_of) > 20000 else list(_chunks(sorted(unit_of)))
    rows = []
    for part in parts:
        stmt = select(*columns)
        if part is not None:
            stmt = stmt.where(SourceRecord.id.in_(part))
        rows.extend(row for row in session.execute(stmt) if row[0] in unit_of)
    for record_id, work_type, year, runtime in sorted(rows):
        unit = units[unit_of[record_id]]
        unit.work_type = unit.work_type or work_type
        unit.year = unit.year if unit.year is not None else year
        unit.runtime = unit.runtime if unit.runtime is not None else runtime


def _facts(session: Session, units: dict[int, Unit], unit_of: dict[int, int]) -> None:
    """Fill titles, directors, countries, identifiers and licence years from the records."""
    parts = [None] if len(unit_of) > 20000 else list(_chunks(sorted(unit_of)))
    for part in parts:
        for record_id, text in _rows(session, part, Title.source_record_id, Title.text_folded):
            if record_id in unit_of and text:
                units[unit_of[record_id]].titles.add(text)
        directors = (Contribution.role.in_(KEY_ROLES), Party.id == Contribution.party_id)
        for record_id, name in _rows(
            session, part, Contribution.source_record_id, Party.name, where=directors
        ):
            if record_id in unit_of and (key := name_key(name)) and "*" not in key:
                units[unit_of[record_id]].directors.add(key)
        for record_id, country in _rows(
            session, part, WorkCountry.source_record_id, WorkCountry.country
        ):
            if record_id in unit_of:
                units[unit_of[record_id]].countries.add(country)
        verified = getattr(Identifier, "verified", None)
        extra = (verified,) if verified is not None else ()
        for row in _rows(
            session, part, Identifier.source_record_id, Identifier.scheme, Identifier.value, *extra
        ):
            record_id, scheme, value = row[0], row[1], row[2]
            if record_id in unit_of and usable(scheme, value, row[3] if extra else True):
                units[unit_of[record_id]].identifiers.add((scheme, value))
        started = (License.start.isnot(None),)
        for record_id, start in _rows(
            session, part, License.source_record_id, License.start, where=started
        ):
            if record_id in unit_of:
                units[unit_of[record_id]].use(start.year)


def _rows(session: Session, part: list[int] | None, key: Any, *columns: Any, where=()):  # noqa: ANN001, ANN202
    """Select key and columns for the records of part (all records when None)."""
    stmt = select(key, *columns).where(*where)
    if part is not None:
        stmt = stmt.where(key.in_(part))
    return session.execute(stmt)


_NUMBER = re.compile(r"\b(\d+|[ivx]{1,5})\b")
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def title_numbers(titles: Iterable[str]) -> list[str]:
    """Return the numbers titles carry (digits and Roman numerals), which sequels never share."""
    found: set[str] = set()
    for title in titles:
        for token in _NUMBER.findall(title):
            if token.isdigit():
                found.add(str(int(token)))
            elif token in _ROMAN:
                found.add(str(_ROMAN[token]))
    return sorted(found)


WORK_TYPE_FAMILY = {
    "movie": "film",
    "tv_movie": "film",
    "short": "film",
    "music_video": "film",
    "series": "serial",
    "miniseries": "serial",
    "season": "serial",
    "episode": "episode",
}


def to_arrow(units: Iterable[Unit]) -> pa.Table:
    """Return the table of units Splink reads, one row per linkable unit."""
    rows = [u for u in units if u.linkable()]

    def exclusive(u: Unit, scheme: str) -> str | None:
        values = sorted(v for s, v in u.identifiers if s == scheme)
        return values[0] if len(values) == 1 else None

    columns = {
        "unique_id": [u.unit_id for u in rows],
        "title": [min(u.titles, key=lambda t: (len(t), t)) for u in rows],
        "titles": [sorted(u.titles) for u in rows],
        "numbers": [title_numbers(u.titles) for u in rows],
        "year": [u.year for u in rows],
        "directors": [sorted(u.directors) or None for u in rows],
        "countries": [sorted(u.countries) or None for u in rows],
        "work_type": [u.work_type for u in rows],
        "type_family": [WORK_TYPE_FAMILY.get(u.work_type or "") for u in rows],
        "runtime": [float(u.runtime) if u.runtime else None for u in rows],
        "registered": [registration_year(u.identifiers) for u in rows],
        "first_use": [u.first_use for u in rows],
    }
    for scheme in EXCLUSIVE_SCHEMES:
        columns[f"id_{scheme}"] = [exclusive(u, scheme) for u in rows]
    schema = pa.schema(
        [
            ("unique_id", pa.int64()),
            ("title", pa.string()),
            ("titles", pa.list_(pa.string())),
            ("numbers", pa.list_(pa.string())),
            ("year", pa.int64()),
            ("directors", pa.list_(pa.string())),
            ("countries", pa.list_(pa.string())),
            ("work_type", pa.string()),
            ("type_family", pa.string()),
            ("runtime", pa.float64()),
            ("registered", pa.int64()),
            ("first_use", pa.int64()),
            *[(f"id_{s}", pa.string()) for s in EXCLUSIVE_SCHEMES],
        ]
    )
    return pa.table(columns, schema=schema)
