"""Warnings and notices of an import: counted by code in the report and kept beside rejections."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from importers.base import ERROR, NOTICE, WARNING, ParsedRecord
from registry.context import Registry
from registry.models import ImportFinding

if TYPE_CHECKING:
    from registry.services.imports import BatchReport


def finding_rows(batch_id: int | None, chunk: list[ParsedRecord]) -> list[dict[str, Any]]:
    """Return the warnings and notices of a chunk's records as rows of the findings table."""
    return [
        {
            "batch_id": batch_id,
            "severity": finding.severity,
            "code": finding.code,
            "locator": record.locator[:500],
            "source_key": (record.key or None) and record.key[:300],
            "field": finding.path[:200],
            "message": finding.message,
        }
        for record in chunk
        for finding in record.findings
        if finding.severity != ERROR
    ]


def record_findings(registry: Registry, report: BatchReport, chunk: list[ParsedRecord]) -> None:
    """Count a chunk's findings in the report and store them (not on a dry run)."""
    rows = finding_rows(report.batch_id, chunk)
    if not rows:
        return
    for row in rows:
        counts = report.warnings if row["severity"] == WARNING else report.notices
        counts[row["code"]] = counts.get(row["code"], 0) + 1
        report.findings.append({k: v for k, v in row.items() if k != "batch_id"})
    if report.dry_run:
        return
    with registry.sessions() as session:
        session.bulk_insert_mappings(ImportFinding, rows)
        session.commit()


def findings_summary(session: Session, batch_id: int) -> dict[str, dict[str, int]]:
    """Return how many warnings and notices of each code a batch found."""
    rows = session.execute(
        select(ImportFinding.severity, ImportFinding.code, func.count())
        .where(ImportFinding.batch_id == batch_id)
        .group_by(ImportFinding.severity, ImportFinding.code)
    )
    summary: dict[str, Counter[str]] = {WARNING: Counter(), NOTICE: Counter()}
    for severity, code, count in rows:
        summary.setdefault(severity, Counter())[code] += count
    return {"warnings": dict(summary[WARNING]), "notices": dict(summary[NOTICE])}


def batch_findings(
    session: Session, batch_id: int, limit: int = 1000, offset: int = 0
) -> list[dict[str, Any]]:
    """Return a batch's findings in file order, like its rejections."""
    found = session.scalars(
        select(ImportFinding)
        .where(ImportFinding.batch_id == batch_id)
        .order_by(ImportFinding.id)
        .limit(limit)
        .offset(offset)
    )
    return [
        {
            "severity": f.severity,
            "code": f.code,
            "locator": f.locator,
            "source_key": f.source_key,
            "field": f.field,
            "message": f.message,
        }
        for f in found
    ]
