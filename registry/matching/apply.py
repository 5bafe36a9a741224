"""Move records and their facts between works so that each cluster of units is one work."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from registry.matching.features import unit_records
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

FACT_TABLES = (Title, Identifier, WorkCountry, Contribution, RightsHolding, License, CoProduction)
BATCH = 900
FILLED = ("work_type", "year", "year_end", "runtime_minutes", "episode_count")


def current_homes(session: Session) -> dict[int, int]:
    """Return the current work of every unit that lives away from its own work."""
    stmt = (
        select(SourceRecord.origin_work_id, SourceRecord.work_id)
        .where(SourceRecord.origin_work_id.isnot(None))
        .where(SourceRecord.origin_work_id != SourceRecord.work_id)
        .distinct()
    )
    return {origin: work for origin, work in session.execute(stmt)}


def place(session: Session, targets: dict[int, int], homes: dict[int, int]) -> set[int]:
    """Put every unit in its target work (its own when absent); return the works touched."""
    moves: dict[int, int] = {}
    for unit, target in targets.items():
        if homes.get(unit, unit) != target:
            moves[unit] = target
    for unit, work in homes.items():
        if unit not in targets and work != unit:
            moves[unit] = unit
    touched: set[int] = set()
    for unit, target in moves.items():
        touched |= {unit, target, homes.get(unit, unit)}
    _move(session, moves)
    _mark_merged(session, touched, targets)
    return touched


def records_of(session: Session, units: Iterable[int]) -> list[tuple[int, int]]:
    """Return (record id, unit) of every record of the given units."""
    return [(rid, unit) for rid, unit, _ in unit_records(session, units)]


def _move(session: Session, moves: dict[int, int]) -> None:
    """Move units' records and every fact they stated into their target works, in bulk."""
    if not moves:
        return
    move_records(
        session,
        [{"rid": rid, "wid": moves[unit], "uid": unit} for rid, unit in records_of(session, moves)],
    )


def move_records(session: Session, rows: list[dict[str, int]]) -> None:
    """Move records (rid) and their facts into works (wid), remembering their unit (uid)."""
    if not rows:
        return
    connection = session.connection()
    records = SourceRecord.__table__
    connection.execute(
        update(records)
        .where(records.c.id == bindparam("rid"))
        .values(work_id=bindparam("wid"), origin_work_id=bindparam("uid")),
        rows,
    )
    for model in FACT_TABLES:
        table = model.__table__
        connection.execute(
            update(table)
            .where(table.c.source_record_id == bindparam("rid"))
            .values(work_id=bindparam("wid")),
            rows,
        )


def _mark_merged(session: Session, touched: set[int], targets: dict[int, int]) -> None:
    """Point absorbed works at their survivor, free the rest, fill gaps and bump versions."""
    now = utcnow()
    columns = (Work.id, Work.version, *(getattr(Work, n) for n in FILLED))
    works = {
        row[0]: dict(zip(("id", "version", *FILLED), row, strict=True))
        for part in _chunks(sorted(touched))
        for row in session.execute(select(*columns).where(Work.id.in_(part)))
    }
    for work_id, work in sorted(works.items()):
        survivor = works.get(targets.get(work_id, work_id))
        if survivor is not None and survivor is not work:
            for name in FILLED:
                if survivor[name] is None and work[name] is not None:
                    survivor[name] = work[name]
    rows = [
        {
            "wid": work_id,
            "merged": None if targets.get(work_id, work_id) == work_id else targets[work_id],
            "next_version": (work["version"] or 0) + 1,
            **{f"new_{n}": work[n] for n in FILLED},
        }
        for work_id, work in works.items()
    ]
    if not rows:
        return
    table = Work.__table__
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("wid"))
        .values(
            merged_into=bindparam("merged"),
            version=bindparam("next_version"),
            updated_at=now,
            **{n: bindparam(f"new_{n}") for n in FILLED},
        ),
        rows,
    )
    session.execute(insert(IndexOutbox), [{"work_id": w, "created_at": now} for w in sorted(works)])


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    """Yield slices of ids small enough for an IN list."""
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]
