"""Read import batch reports, with rejected rows shown only to their agency and admins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.auth.principal import Principal
from registry.errors import NotFound
from registry.models import ImportBatch, ImportJob, Rejection
from registry.models.base import as_utc
from registry.services.authority import may_see_private
from registry.services.imports import ACTIONS

MAX_DB_INTEGER = 2**31 - 1


def batch_report(
    session: Session,
    batch_id: int,
    principal: Principal | None,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    """Return a batch's status and counts; its rejections only to its agency and admins."""
    batch = session.get(ImportBatch, batch_id) if 0 < batch_id <= MAX_DB_INTEGER else None
    if batch is None:
        raise NotFound(f"no import batch with id {batch_id}")
    job = session.scalar(select(ImportJob).where(ImportJob.batch_id == batch_id))
    report: dict[str, Any] = {
        "id": batch.id,
        "agency": batch.agency_code,
        "format": batch.source_format,
        "file": batch.file_name,
        "sha256": batch.sha256,
        "status": batch.status,
        "message": batch.message,
        "dry_run": batch.dry_run,
        "counts": {k: getattr(batch, f"{k}_count") for k in ("read", *ACTIONS)},
        "attempts": job.attempts if job else 0,
        "submitted_by": None,
        "started_at": as_utc(batch.started_at),
        "finished_at": as_utc(batch.finished_at) if batch.finished_at else None,
        "rejections": None,
        "rejections_total": None,
    }
    if may_see_private(principal, batch.agency_code):
        report["submitted_by"] = job.submitted_by if job else None
        rows = session.scalars(
            select(Rejection)
            .where(Rejection.batch_id == batch_id)
            .order_by(Rejection.id)
            .offset(offset)
            .limit(limit)
        )
        report["rejections"] = [
            {"locator": r.locator, "raw": r.raw_text, "errors": r.errors} for r in rows
        ]
        report["rejections_total"] = session.scalar(
            select(func.count()).select_from(Rejection).where(Rejection.batch_id == batch_id)
        )
    return report
