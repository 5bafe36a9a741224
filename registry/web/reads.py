"""Reads the pages need that the API services do not offer yet: result identifiers, report pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.errors import NotFound
from registry.models import Identifier, ImportBatch, Rejection

KEY_SCHEMES = ("isan", "eidr", "br_cpb", "br_roe", "br_crt", "uy_acau", "imdb")
COUNT_NAMES = ("read", "created", "updated", "unchanged", "deleted", "rejected")


def key_identifiers(session: Session, work_ids: list[int], per_work: int = 3) -> dict[int, list]:
    """Return up to per_work (scheme, value) pairs of each work, best-known schemes first."""
    if not work_ids:
        return {}
    rows = session.execute(
        select(Identifier.work_id, Identifier.scheme, Identifier.value)
        .where(Identifier.work_id.in_(work_ids))
        .order_by(Identifier.work_id, Identifier.id)
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for work_id, scheme, value in rows:
        pairs = found.setdefault(work_id, [])
        if (scheme, value) not in pairs:
            pairs.append((scheme, value))
    rank = {scheme: i for i, scheme in enumerate(KEY_SCHEMES)}
    return {
        work_id: sorted(pairs, key=lambda p: rank.get(p[0], len(rank)))[:per_work]
        for work_id, pairs in found.items()
    }


def import_report(session: Session, batch_id: int, page: int, per_page: int) -> dict[str, Any]:
    """Return an import batch's counts and one page of its rejections, oldest first."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"no import batch with id {batch_id}")
    total = session.scalar(
        select(func.count()).select_from(Rejection).where(Rejection.batch_id == batch_id)
    )
    rejections = session.scalars(
        select(Rejection)
        .where(Rejection.batch_id == batch_id)
        .order_by(Rejection.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return {
        "id": batch.id,
        "agency": batch.agency_code,
        "format": batch.source_format,
        "file": batch.file_name,
        "sha256": batch.sha256,
        "status": batch.status,
        "message": batch.message,
        "dry_run": batch.dry_run,
        "counts": {name: getattr(batch, f"{name}_count") for name in COUNT_NAMES},
        "started_at": batch.started_at,
        "finished_at": batch.finished_at,
        "rejection_total": total or 0,
        "rejections": [
            {"locator": r.locator, "raw": r.raw_text, "errors": r.errors} for r in rejections
        ],
    }
