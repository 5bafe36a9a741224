"""Export stored source records in the registry's exchange format, streaming."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.exchange.cells import neutralise_formula
from importers.exchange.columns import ALL_COLUMNS
from importers.exchange.envelope import build_line
from importers.exchange.flatten import aggregate_rows
from registry.context import Registry
from registry.errors import NotFound, ValidationFailed
from registry.models import Agency, SourceRecord, SourceTombstone
from registry.models.base import as_utc

FORMATS = ("jsonl", "csv")
FETCH_SIZE = 500


@dataclass(frozen=True)
class ExportedRecord:
    """One source record as the export writes it."""

    key: str
    action: str
    authoritative: bool
    work: dict[str, Any] | None
    origin: dict[str, Any]


@dataclass
class ExportSummary:
    """What an export wrote."""

    records: int = 0
    deletions: int = 0
    lines: int = 0


def exchange_key(agency: str, source_format: str, source_key: str) -> str:
    """Return the exchange key of a source record: unique across agencies and formats."""
    return f"{agency}:{source_format}:{source_key}"


def exported_records(
    session: Session, since: datetime | None = None, agency: str | None = None
) -> Iterator[ExportedRecord]:
    """Yield the source records to export, oldest first; with since, then the withdrawals."""
    if agency is not None and session.get(Agency, agency) is None:
        raise NotFound(f"no records of agency {agency!r} in this registry")
    yield from _statements(session, since, agency)
    if since is not None:
        yield from _withdrawals(session, since, agency)


def _statements(
    session: Session, since: datetime | None, agency: str | None
) -> Iterator[ExportedRecord]:
    """Yield the stored source records in the order they were first stored."""
    stmt = select(
        SourceRecord.agency_code,
        SourceRecord.source_format,
        SourceRecord.source_key,
        SourceRecord.work_id,
        SourceRecord.authoritative,
        SourceRecord.normalized,
    ).order_by(SourceRecord.id)
    if since is not None:
        stmt = stmt.where(SourceRecord.updated_at >= as_utc(since))
    if agency is not None:
        stmt = stmt.where(SourceRecord.agency_code == agency)
    for row in session.execute(stmt.execution_options(yield_per=FETCH_SIZE)):
        key, origin = _origin(row)
        yield ExportedRecord(key, "upsert", row.authoritative, row.normalized, origin)


def _origin(source: Any) -> tuple[str, dict[str, Any]]:
    """Return the exchange key and origin of a source record or tombstone."""
    origin = {
        "agency": source.agency_code,
        "format": source.source_format,
        "key": source.source_key,
        "registry_work_id": source.work_id,
    }
    return exchange_key(source.agency_code, source.source_format, source.source_key), origin


def _withdrawals(session: Session, since: datetime, agency: str | None) -> Iterator[ExportedRecord]:
    """Yield a delete for every source key withdrawn at or after since, oldest first."""
    stmt = (
        select(SourceTombstone)
        .where(SourceTombstone.deleted_at >= as_utc(since))
        .order_by(SourceTombstone.deleted_at, SourceTombstone.id)
    )
    if agency is not None:
        stmt = stmt.where(SourceTombstone.agency_code == agency)
    for stone in session.scalars(stmt.execution_options(yield_per=FETCH_SIZE)):
        key, origin = _origin(stone)
        origin["deleted_at"] = as_utc(stone.deleted_at).isoformat()
        yield ExportedRecord(key, "delete", True, None, origin)


def write_jsonl(records: Iterator[ExportedRecord], out: TextIO) -> ExportSummary:
    """Write one exchange line per record."""
    summary = ExportSummary()
    for record in records:
        out.write(
            build_line(record.key, record.work, record.action, record.authoritative, record.origin)
        )
        out.write("\n")
        _count(summary, record, 1)
    return summary


def write_csv(
    records: Iterator[ExportedRecord], out: TextIO, neutralise: bool = True
) -> ExportSummary:
    """Write the template header, then each record's rows.

    With neutralise (the default), a cell a spreadsheet would run as a formula gets a leading
    apostrophe, which the exchange CSV importer removes again.
    """
    writer = csv.writer(out, lineterminator="\n")
    quoting_writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(ALL_COLUMNS)
    summary = ExportSummary()
    for record in records:
        rows = aggregate_rows(record.key, record.work, record.authoritative, record.action)
        if neutralise:
            rows = [[neutralise_formula(cell) for cell in row] for row in rows]
        for row in rows:
            # csv quotes "\n" (the line terminator) but not a bare "\r" unless told to
            (quoting_writer if any("\r" in cell for cell in row) else writer).writerow(row)
        _count(summary, record, len(rows))
    return summary


def _count(summary: ExportSummary, record: ExportedRecord, lines: int) -> None:
    """Add one written record to the summary."""
    summary.records += 1
    summary.lines += lines
    if record.action == "delete":
        summary.deletions += 1


def export(
    registry: Registry,
    out: TextIO,
    export_format: str = "jsonl",
    since: datetime | None = None,
    agency: str | None = None,
    neutralise_formulas: bool = True,
) -> ExportSummary:
    """Write the registry's source records (optionally since a moment, of one agency) to out."""
    if export_format not in FORMATS:
        raise ValidationFailed(
            f"unknown export format {export_format!r}: use {' or '.join(FORMATS)}"
        )
    with registry.sessions() as session:
        records = exported_records(session, since, agency)
        if export_format == "jsonl":
            return write_jsonl(records, out)
        return write_csv(records, out, neutralise_formulas)
