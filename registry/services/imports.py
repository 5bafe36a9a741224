"""Run an importer over a file: validate, write in batches, keep every rejection."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from importers.base import ParsedRecord, UnreadableFile
from importers.registry import detect_format, get_importer
from registry.context import Registry
from registry.errors import ImportFailed
from registry.models import ImportBatch
from registry.models.base import utcnow
from registry.services.agencies import ensure_agency
from registry.services.chunks import AfterCommit, write_chunk

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
            write_chunk(registry, report, chunk, dry_run, after_commit)
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
