"""Run an importer over a file: validate, write in batches, keep every rejection."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from importers.base import ParsedRecord, UnreadableFile
from importers.registry import detect_format, get_importer
from registry.context import Registry
from registry.errors import ImportFailed
from registry.models import ImportBatch, Rejection
from registry.models.base import utcnow
from registry.services.agencies import ensure_agency
from registry.services.records import SourceInfo
from registry.services.works import WorkWriter
from schemas.aggregate import WORK_AGGREGATE, flatten_errors

ACTIONS = ("created", "updated", "unchanged", "deleted", "rejected")


@dataclass
class BatchReport:
    """The outcome of one import: counts that reconcile and every rejection."""

    batch_id: int | None
    file_name: str
    source_format: str
    agency: str
    sha256: str
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("read", *ACTIONS), 0))
    rejections: list[dict[str, Any]] = field(default_factory=list)
    indexed: int = 0
    index_pending: int = 0

    def reconciles(self) -> bool:
        """Tell whether read equals the sum of the outcomes."""
        return self.counts["read"] == sum(self.counts[a] for a in ACTIONS)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-compatible data."""
        return {
            "batch_id": self.batch_id,
            "file": self.file_name,
            "format": self.source_format,
            "agency": self.agency,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "reconciles": self.reconciles(),
            "indexed": self.indexed,
            "index_pending": self.index_pending,
            "rejections": self.rejections,
        }


AfterCommit = Callable[[set[int]], tuple[int, int]]


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def run_import(
    registry: Registry,
    path: Path,
    source_format: str = "auto",
    agency: str | None = None,
    dry_run: bool = False,
    after_commit: AfterCommit | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Import one file and return its batch report."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    try:
        name = detect_format(path) if source_format == "auto" else source_format
        importer_cls = get_importer(name)
    except (UnreadableFile, OSError) as exc:
        raise ImportFailed(str(exc)) from exc
    agency = agency or importer_cls.agency
    report = BatchReport(None, path.name, name, agency, file_sha256(path), dry_run=dry_run)
    batch_size = registry.settings.import_batch_size
    with registry.sessions() as session:
        ensure_agency(session, agency)
        batch = ImportBatch(
            agency_code=agency,
            source_format=name,
            file_name=path.name,
            sha256=report.sha256,
            dry_run=dry_run,
        )
        session.add(batch)
        session.commit()
        report.batch_id = batch.id
    records = importer_cls().records(path)
    try:
        for chunk in _chunks(records, batch_size):
            _write_chunk(registry, report, chunk, dry_run, after_commit)
            if progress:
                progress(len(chunk))
    except UnreadableFile as exc:
        _finish(registry, report, "failed", str(exc))
        raise ImportFailed(str(exc), {"counts": report.counts}) from exc
    _finish(registry, report, "completed", None)
    return report


def _chunks(records: Iterable[ParsedRecord], size: int) -> Iterator[list[ParsedRecord]]:
    """Group records into lists of at most size; a source that breaks hands over what it read."""
    iterator = iter(records)
    while True:
        chunk: list[ParsedRecord] = []
        try:
            for record in islice(iterator, size):
                chunk.append(record)
        except UnreadableFile:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


@dataclass
class _Prepared:
    """A record after validation: what to write, or why it is refused."""

    record: ParsedRecord
    source: SourceInfo | None = None
    aggregate: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    action: str = "rejected"


def _prepare(report: BatchReport, record: ParsedRecord) -> _Prepared:
    """Validate one record against the shared schema."""
    item = _Prepared(record, errors=dict(record.errors))
    if not item.errors and record.action == "upsert":
        try:
            item.aggregate = WORK_AGGREGATE.load(record.data or {})
        except ValidationError as exc:
            item.errors = flatten_errors(exc.messages)
    if not item.errors and not record.key:
        item.errors = {"_key": ["the record has no source key"]}
    if not item.errors:
        item.source = SourceInfo(
            report.agency,
            report.source_format,
            record.key or "",
            record.authoritative,
            record.locator,
        )
    return item


def _write_all(writer: WorkWriter, items: list[_Prepared]) -> None:
    """Write valid items: runs of upserts in bulk, deletes one by one, in file order."""
    run: list[_Prepared] = []

    def flush_run() -> None:
        outcomes = writer.write_many([(i.source, i.aggregate, i.record.raw) for i in run])
        for item, outcome in zip(run, outcomes, strict=True):
            item.action = outcome.action
        run.clear()

    for item in items:
        if item.errors:
            continue
        if item.record.action == "delete":
            if run:
                flush_run()
            item.action = writer.delete(item.source).action
        else:
            run.append(item)
    if run:
        flush_run()


def _write_one_by_one(writer: WorkWriter, items: list[_Prepared]) -> None:
    """Write valid items one at a time so that one failing record cannot sink the others."""
    for item in items:
        if item.errors:
            continue
        try:
            with writer.session.begin_nested():
                if item.record.action == "delete":
                    item.action = writer.delete(item.source).action
                else:
                    item.action = writer.upsert(item.source, item.aggregate, item.record.raw).action
        except SQLAlchemyError as exc:
            item.errors = {
                "_store": [
                    f"could not be stored: {exc.__class__.__name__}: "
                    f"{str(exc).splitlines()[0][:300]}"
                ]
            }
            item.action = "rejected"


def _write_chunk(
    registry: Registry,
    report: BatchReport,
    chunk: list[ParsedRecord],
    dry_run: bool,
    after_commit: AfterCommit | None,
) -> None:
    """Validate and write one batch of records in one transaction."""
    items = [_prepare(report, record) for record in chunk]
    with registry.sessions() as session:
        writer = WorkWriter(session, report.batch_id)
        try:
            _write_all(writer, items)
        except SQLAlchemyError:
            session.rollback()
            items = [_prepare(report, record) for record in chunk]
            writer = WorkWriter(session, report.batch_id)
            _write_one_by_one(writer, items)
        rejected: list[Rejection] = []
        for item in items:
            report.counts["read"] += 1
            report.counts[item.action] += 1
            if item.errors:
                _reject(report, item.record, item.errors, rejected)
        session.add_all(rejected)
        if dry_run:
            session.rollback()
            return
        session.commit()
    if after_commit and writer.touched:
        indexed, pending = after_commit(writer.touched)
        report.indexed += indexed
        report.index_pending = pending


def _reject(
    report: BatchReport,
    record: ParsedRecord,
    errors: dict[str, list[str]],
    rejected: list[Rejection],
) -> None:
    """Keep a refused record with its locator, raw text and reasons."""
    report.rejections.append({"locator": record.locator, "raw": record.raw, "errors": errors})
    rejected.append(
        Rejection(
            batch_id=report.batch_id, locator=record.locator, raw_text=record.raw, errors=errors
        )
    )


def _finish(registry: Registry, report: BatchReport, status: str, message: str | None) -> None:
    """Store the final counts and status of the batch."""
    with registry.sessions() as session:
        batch = session.get(ImportBatch, report.batch_id)
        batch.status = status
        batch.message = message
        batch.finished_at = utcnow()
        for action in ("read", *ACTIONS):
            setattr(batch, f"{action}_count", report.counts[action])
        session.commit()
