"""List works changed since a moment, for regional exchange harvests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from registry.errors import ValidationFailed
from registry.models import Work
from registry.models.base import as_utc
from registry.search.documents import display_title


def _parse_cursor(cursor: str) -> tuple[datetime, int]:
    """Decode a cursor of the form '<iso time>|<work id>'."""
    try:
        stamp, work_id = cursor.rsplit("|", 1)
        return as_utc(datetime.fromisoformat(stamp)), int(work_id)
    except ValueError as exc:
        raise ValidationFailed("invalid cursor", {"cursor": ["invalid cursor"]}) from exc


def changed_works(
    session: Session, since: datetime, cursor: str | None, size: int
) -> dict[str, Any]:
    """Return works changed at or after since, oldest first, deletions included."""
    stmt = select(Work).options(selectinload(Work.titles)).where(Work.updated_at >= as_utc(since))
    if cursor:
        stamp, last_id = _parse_cursor(cursor)
        stmt = stmt.where(
            or_(Work.updated_at > stamp, and_(Work.updated_at == stamp, Work.id > last_id))
        )
    works = session.scalars(stmt.order_by(Work.updated_at, Work.id).limit(size)).all()
    items = [
        {
            "id": w.id,
            "version": w.version,
            "updated_at": as_utc(w.updated_at).isoformat(),
            "deleted": w.deleted,
            "incomplete": w.incomplete,
            "display_title": display_title(w),
        }
        for w in works
    ]
    last = works[-1] if len(works) == size else None
    next_cursor = f"{as_utc(last.updated_at).isoformat()}|{last.id}" if last else None
    return {"items": items, "next_cursor": next_cursor}
