"""Take apart works that were joined only through a placeholder identifier."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from registry.matching.apply import move_records
from registry.matching.rules import usable
from registry.models import Identifier, IndexOutbox, SourceRecord, Work
from registry.models.base import utcnow
from registry.services.records import PLACEHOLDER_IDENTIFIERS

SCALARS = ("work_type", "year", "year_end", "runtime_minutes", "episode_count")
BATCH = 900


def split_placeholder_merges(session: Session) -> set[int]:
    """Give each group of records that shares no real identifier its own work.

    Returns the works split and the works created, all of which need linking again.

    Only works holding a placeholder identifier and several records born in them are examined
    (records linked in later keep their own origin and are never split off).
    The group holding the work's primary source (else its first record) keeps the work; each
    other group gets a new work that becomes its records' origin, so linkage may join them
    again on real evidence.
    """
    crowded = _crowded_placeholder_works(session)
    primary: dict[int, int | None] = {}
    for start in range(0, len(crowded), BATCH):
        stmt = select(Work.id, Work.primary_source_id).where(
            Work.id.in_(crowded[start : start + BATCH])
        )
        primary.update({wid: source for wid, source in session.execute(stmt)})
    by_work: dict[int, dict[int, dict]] = {}
    for start in range(0, len(crowded), BATCH):
        stmt = select(SourceRecord.id, SourceRecord.work_id, SourceRecord.normalized).where(
            SourceRecord.work_id.in_(crowded[start : start + BATCH]),
            SourceRecord.origin_work_id.is_(None)
            | (SourceRecord.origin_work_id == SourceRecord.work_id),
        )
        for record_id, work_id, normalized in session.execute(stmt):
            by_work.setdefault(work_id, {})[record_id] = normalized
    now = utcnow()
    pending: list[tuple[set[int], dict]] = []
    for work_id, records in sorted(by_work.items()):
        groups = _groups({rid: _keys(norm) for rid, norm in records.items()})
        keep = next((g for g in groups if primary.get(work_id) in g), groups[0])
        pending += [(g, records[min(g)]) for g in groups if g is not keep]
    if not pending:
        return set()
    rows = [
        {
            "version": 1,
            "incomplete": False,
            "deleted": False,
            "original_languages": [],
            "primary_source_id": min(group),
            "created_at": now,
            "updated_at": now,
            **{name: first.get(name) for name in SCALARS},
        }
        for group, first in pending
    ]
    created = list(
        session.scalars(insert(Work).returning(Work.id, sort_by_parameter_order=True), rows)
    )
    moves = [
        {"rid": rid, "wid": wid, "uid": wid}
        for (group, _), wid in zip(pending, created, strict=True)
        for rid in group
    ]
    move_records(session, moves)
    touched = set(created) | set(by_work)
    session.execute(
        insert(IndexOutbox), [{"work_id": w, "created_at": now} for w in sorted(touched)]
    )
    return touched


def _crowded_placeholder_works(session: Session) -> list[int]:
    """Return the works holding a placeholder identifier and more than one record."""
    found: set[int] = set()
    for scheme, value in PLACEHOLDER_IDENTIFIERS:
        holders = select(Identifier.work_id).where(
            Identifier.scheme == scheme, Identifier.value == value
        )
        stmt = (
            select(SourceRecord.work_id)
            .where(SourceRecord.work_id.in_(holders))
            .group_by(SourceRecord.work_id)
            .having(func.count() > 1)
        )
        found |= set(session.scalars(stmt))
    return sorted(found)


def _keys(normalized: dict) -> set[tuple[str, str]]:
    """Return the identifiers of a stored record that count as evidence."""
    return {
        (i["scheme"], i["value"])
        for i in normalized.get("identifiers", [])
        if usable(i["scheme"], i["value"], i.get("verified", True))
    }


def _groups(keys: dict[int, set[tuple[str, str]]]) -> list[set[int]]:
    """Return the records grouped by shared identifiers (connected components)."""
    owner: dict[tuple[str, str], int] = {}
    parent = {rid: rid for rid in keys}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rid in sorted(keys):
        for key in keys[rid]:
            if key in owner:
                parent[root(rid)] = root(owner[key])
            else:
                owner[key] = rid
    groups: dict[int, set[int]] = {}
    for rid in keys:
        groups.setdefault(root(rid), set()).add(rid)
    return sorted(groups.values(), key=min)
