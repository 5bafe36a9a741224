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
from registry.search.queries import decode_cursor, encode_cursor

CURSOR_KIND = "changes"


def _parse_cursor(cursor: str, secret: bytes) -> tuple[datetime, int]:
    """Return the (time, work id) position a signed changes cursor holds."""
    try:
        stamp, work_id = decode_cursor(cursor, secret, CURSOR_KIND)
        return as_utc(datetime.fromisoformat(stamp)), int(work_id)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed("invalid cursor", {"cursor": [str(exc)]}) from exc


def changed_works(
    session: Session, since: datetime, cursor: str | None, size: int, secret: bytes
) -> dict[str, Any]:
    """Return works changed at or after since, oldest first, deletions included."""
    stmt = select(Work).options(selectinload(Work.titles)).where(Work.updated_at >= as_utc(since))
    if cursor:
        stamp, last_id = _parse_cursor(cursor, secret)
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
    next_cursor = (
        encode_cursor([as_utc(last.updated_at).isoformat(), last.id], secret, CURSOR_KIND)
        if last
        else None
    )
    return {"items": items, "next_cursor": next_cursor}
