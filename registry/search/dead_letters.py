"""Works the node refused: kept with the reason so the rest of the outbox goes on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from registry.models import IndexDeadLetter, Work
from registry.models.base import utcnow

REASON_LENGTH = 2000
CHUNK = 500


@dataclass(frozen=True)
class Refusal:
    """One work the node would not take, at the version that was sent."""

    work_id: int
    version: int | None
    status: int
    error_type: str
    reason: str


def refusal_from_item(work_id: int, version: int | None, result: dict) -> Refusal:
    """Describe a refused bulk item from the node's answer."""
    error = result.get("error") or {}
    if not isinstance(error, dict):
        error = {"type": "error", "reason": str(error)}
    reason = str(error.get("reason") or "")
    caused = error.get("caused_by")
    if isinstance(caused, dict) and caused.get("reason"):
        reason = f"{reason}; caused by {caused.get('type')}: {caused['reason']}"
    return Refusal(
        work_id,
        version,
        int(result.get("status") or 400),
        str(error.get("type") or "error")[:200],
        reason[:REASON_LENGTH],
    )


def record(session: Session, refusals: Sequence[Refusal]) -> None:
    """Keep each refusal, replacing an older one of the same work."""
    ids = sorted({r.work_id for r in refusals})
    existing: dict[int, IndexDeadLetter] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        stmt = select(IndexDeadLetter).where(IndexDeadLetter.work_id.in_(part))
        existing.update((row.work_id, row) for row in session.scalars(stmt))
    now = utcnow()
    for refusal in refusals:
        row = existing.get(refusal.work_id)
        if row is None:
            row = IndexDeadLetter(work_id=refusal.work_id, attempts=0, first_failed_at=now)
            session.add(row)
            existing[refusal.work_id] = row
        row.work_version = refusal.version
        row.status = refusal.status
        row.error_type = refusal.error_type
        row.reason = refusal.reason
        row.attempts += 1
        row.last_failed_at = now


def clear(session: Session, work_ids: Iterable[int]) -> None:
    """Forget the refusals of works the node has now taken."""
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        session.execute(delete(IndexDeadLetter).where(IndexDeadLetter.work_id.in_(part)))


def keep_only(session: Session, refusals: Sequence[Refusal]) -> None:
    """Make the list hold exactly these refusals (after a full rebuild)."""
    keep = {r.work_id for r in refusals}
    stale = [i for i in session.scalars(select(IndexDeadLetter.work_id)) if i not in keep]
    clear(session, stale)
    record(session, refusals)


def changed(session: Session) -> list[int]:
    """Return refused works changed since their refusal (or gone), worth another try."""
    stmt = (
        select(IndexDeadLetter.work_id)
        .outerjoin(Work, Work.id == IndexDeadLetter.work_id)
        .where(
            or_(
                Work.id.is_(None),
                IndexDeadLetter.work_version.is_(None),
                Work.version != IndexDeadLetter.work_version,
            )
        )
        .order_by(IndexDeadLetter.work_id)
    )
    return list(session.scalars(stmt))


def count(session: Session) -> int:
    """Return how many works the node refused."""
    return session.scalar(select(func.count()).select_from(IndexDeadLetter)) or 0


def latest(session: Session, limit: int = 20) -> list[IndexDeadLetter]:
    """Return the most recent refusals."""
    stmt = select(IndexDeadLetter).order_by(IndexDeadLetter.last_failed_at.desc()).limit(limit)
    return list(session.scalars(stmt))
