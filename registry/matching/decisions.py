"""People's linkage decisions, which later runs never overturn, and the reads behind them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from registry.errors import Conflict, NotFound
from registry.matching.decide import APART, LINKED, REVIEW
from registry.matching.features import load_units
from registry.matching.pipeline import replace_clusters
from registry.matching.rules import conflicts
from registry.models import MatchDecision, MatchPair, SourceRecord, Work
from registry.models.base import as_utc, utcnow
from registry.services import audit
from registry.services.works import lock_writers


def resolve(session: Session, work_id: int) -> int:
    """Return the work that answers for work_id: itself, or the survivor that absorbed it."""
    seen = set()
    current = work_id
    while True:
        work = session.get(Work, current)
        if work is None:
            raise NotFound(f"no work with id {work_id}")
        if work.merged_into is None or current in seen:
            return current
        seen.add(current)
        current = work.merged_into


def members(session: Session, work_id: int) -> list[int]:
    """Return the units (origin works) whose records the work holds."""
    stmt = select(SourceRecord.origin_work_id, SourceRecord.work_id).where(
        SourceRecord.work_id == work_id
    )
    return sorted({origin or work for origin, work in session.execute(stmt)} | {work_id})


def link(session: Session, work_a: int, work_b: int, actor: str, note: str | None = None) -> int:
    """Record that two works are one; return the surviving work id."""
    lock_writers(session)
    units = load_units(session, {_existing(session, work_a), _existing(session, work_b)})
    held = [units[u].identifiers if u in units else set() for u in (work_a, work_b)]
    if work_a == work_b:
        raise Conflict(f"work {work_a} cannot be linked to itself")
    if conflicts(*held):
        raise Conflict(
            f"works {work_a} and {work_b} hold different values of an exclusive identifier scheme"
        )
    _decide(session, work_a, work_b, LINKED, note)
    session.add(MatchDecision(action="link", work_id=work_a, other_work_id=work_b, actor=actor))
    audit.record(session, "match.link", f"work/{work_a}", details={"other": work_b, "note": note})
    replace_clusters(session, {work_a, work_b})
    session.commit()
    return resolve(session, work_a)


def split(
    session: Session,
    work_id: int,
    actor: str,
    record_key: str | None = None,
    note: str | None = None,
) -> list[int]:
    """Take a work apart: one record's unit (or every unit) leaves; return the works it became."""
    lock_writers(session)
    survivor = resolve(session, _existing(session, work_id))
    units = members(session, survivor)
    if record_key is not None:
        leaving = _unit_of_record(session, survivor, record_key)
        pairs = [(leaving, u) for u in units if u != leaving]
    else:
        pairs = [(a, b) for i, a in enumerate(units) for b in units[i + 1 :]]
    for a, b in pairs:
        _decide(session, a, b, APART, note)
    session.add(
        MatchDecision(
            action="split", work_id=survivor, record_key=record_key, actor=actor, note=note
        )
    )
    details = {"record_key": record_key, "note": note}
    audit.record(session, "match.split", f"work/{survivor}", details=details)
    replace_clusters(session, set(units))
    session.commit()
    return sorted({resolve(session, u) for u in units})


def review_queue(session: Session, limit: int = 50) -> list[dict[str, Any]]:
    """Return the pairs waiting for a person, strongest first."""
    stmt = (
        select(MatchPair)
        .where(MatchPair.status == REVIEW)
        .order_by(MatchPair.match_weight.desc(), MatchPair.id)
        .limit(limit)
    )
    return [pair_view(p) for p in session.scalars(stmt)]


def matches_of(session: Session, work_id: int) -> dict[str, Any]:
    """Return a work's members with agency and score, and its candidates waiting for review."""
    _existing(session, work_id)
    survivor = resolve(session, work_id)
    units = members(session, survivor)
    pairs = list(
        session.scalars(
            select(MatchPair)
            .where(or_(MatchPair.work_a.in_(units), MatchPair.work_b.in_(units)))
            .order_by(MatchPair.match_weight.desc(), MatchPair.id)
        )
    )
    agencies: dict[int, set[str]] = {}
    rows = session.execute(
        select(SourceRecord.origin_work_id, SourceRecord.work_id, SourceRecord.agency_code).where(
            SourceRecord.work_id == survivor
        )
    )
    for origin, work, agency in rows:
        agencies.setdefault(origin or work, set()).add(agency)
    linked = {u: p for p in pairs if p.status == LINKED for u in (p.work_a, p.work_b)}
    return {
        "work_id": survivor,
        "requested_id": work_id,
        "members": [
            {
                "work_id": unit,
                "agencies": sorted(agencies.get(unit, set())),
                "link": None if unit == survivor else _brief(linked.get(unit)),
            }
            for unit in units
        ],
        "candidates": [pair_view(p) for p in pairs if p.status == REVIEW],
        "kept_apart": [
            pair_view(p) for p in pairs if p.status == APART and p.decided_by == "person"
        ],
    }


def pair_view(pair: MatchPair) -> dict[str, Any]:
    """Return the API form of a scored or decided pair."""
    return {
        "work_a": pair.work_a,
        "work_b": pair.work_b,
        "status": pair.status,
        "decided_by": pair.decided_by,
        "probability": pair.probability,
        "match_weight": pair.match_weight,
        "explanation": pair.explanation or [],
        "model_version": pair.model_version,
        "updated_at": as_utc(pair.updated_at).isoformat() if pair.updated_at else None,
    }


def _brief(pair: MatchPair | None) -> dict[str, Any] | None:
    """Return the pair that brought a member in, if one did directly."""
    return None if pair is None else pair_view(pair)


def _existing(session: Session, work_id: int) -> int:
    """Return work_id if such a work exists, else raise NotFound."""
    if session.get(Work, work_id) is None:
        raise NotFound(f"no work with id {work_id}")
    return work_id


def _unit_of_record(session: Session, work_id: int, key: str) -> int:
    """Return the unit of the work's record with the given source key."""
    stmt = select(SourceRecord.origin_work_id, SourceRecord.work_id).where(
        SourceRecord.work_id == work_id, SourceRecord.source_key == key
    )
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound(f"work {work_id} holds no record with key {key!r}")
    return row[0] or row[1]


def _decide(session: Session, a: int, b: int, status: str, note: str | None) -> None:
    """Store a person's outcome for a pair, replacing any model outcome."""
    a, b = sorted((a, b))
    pair = session.scalars(
        select(MatchPair).where(MatchPair.work_a == a, MatchPair.work_b == b)
    ).first()
    if pair is None:
        pair = MatchPair(work_a=a, work_b=b, explanation=[])
        session.add(pair)
    pair.status, pair.decided_by, pair.note, pair.updated_at = status, "person", note, utcnow()
    session.flush()
