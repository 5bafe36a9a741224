"""Run an importer over a file: validate, write in batches, keep every rejection."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from importers.base import UnreadableFile
from importers.registry import detect_format, get_importer
from registry.auth.principal import Principal, command_line_principal
from registry.context import Registry
from registry.errors import ImportFailed, RegistryError
from registry.models import Agency, ImportBatch, ImportFinding, ImportJob, Rejection
from registry.models.base import utcnow
from registry.services import audit
from registry.services.agencies import ensure_agency
from registry.services.chunks import AfterCommit, write_chunk
from registry.services.findings import record_findings
from registry.services.import_reader import ChunkReader, ReadPlan, fewer_collections
from registry.services.index_pacing import PacedIndexing
from registry.services.job_lease import JobLease, LeaseLost, worker_name
from registry.services.write_spool import RejectionSpool

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
    rejections: RejectionSpool = field(default_factory=RejectionSpool)  # spooled to disk
    indexed: int = 0
    index_pending: int = 0
    # Findings of stored records (MovieLabs grading): counts by code, and each one listed.
    warnings: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    # CPU seconds and peak RSS of the process that parsed and validated the file, if any.
    reader_cpu_seconds: float = 0.0
    reader_peak_rss_mib: float = 0.0

    def reconciles(self) -> bool:
        """Tell whether read equals the sum of the outcomes."""
        return self.counts["read"] == sum(self.counts[a] for a in ACTIONS)

    def to_dict(self, rejections: bool = True) -> dict[str, Any]:
        """Return the report as JSON-compatible data (rejections read back from the spool)."""
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
            "rejections": list(self.rejections) if rejections else None,
            "warnings": self.warnings,
            "notices": self.notices,
            "findings": self.findings,
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
    *,
    batch_id: int | None = None,
    job: JobLease | None = None,
    claimant: str | None = None,
    actor: Principal | None = None,
    precondition: Callable[[Session], None] | None = None,
) -> BatchReport:
    """Import one file and return its batch report; never leave the batch `running`.

    batch_id resumes a queued batch (submissions); job stores a heartbeat with each chunk;
    claimant is the agency of the caller, whose records may not claim another agency;
    precondition is checked in each chunk's transaction under the writers' lock.
    """
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    try:
        name = detect_format(path) if source_format == "auto" else source_format
        importer_cls = get_importer(name)
    except (UnreadableFile, OSError) as exc:
        _fail_queued(registry, batch_id, str(exc))
        raise ImportFailed(str(exc)) from exc
    agency = agency or importer_cls.agency
    report = BatchReport(None, path.name, name, agency, file_sha256(path), dry_run=dry_run)
    report.batch_id = _start(registry, report, batch_id, actor)
    try:
        plan = ReadPlan(
            path,
            name,
            agency,
            claimant,
            registry.settings.authority_countries,
            _agency_countries(registry),
            registry.settings.import_batch_size,
        )
        paced = PacedIndexing(after_commit) if after_commit is not None else None
        with fewer_collections(), ChunkReader(plan, registry.settings.import_workers) as reader:
            for prepared in reader:
                chunk = [item.record for item in prepared]
                write_chunk(registry, report, chunk, dry_run, paced, precondition, prepared)
                record_findings(registry, report, chunk)
                _store_progress(registry, report, job)
                if progress:
                    progress(len(chunk))
        report.reader_cpu_seconds = reader.child_cpu_seconds
        report.reader_peak_rss_mib = reader.child_peak_rss_mib
        waited = paced.finish() if paced is not None else None
        if waited is not None:
            report.indexed += waited[0]
            report.index_pending = waited[1]
    except UnreadableFile as exc:
        _finish(registry, report, "failed", str(exc), actor)
        raise ImportFailed(str(exc), {"counts": report.counts}) from exc
    except LeaseLost:
        raise
    except RegistryError as exc:
        _finish(registry, report, "failed", exc.message, actor)
        raise
    except Exception as exc:
        reason = f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:500] if str(exc) else ''}"
        _finish(registry, report, "failed", f"unexpected error: {reason}", actor)
        raise ImportFailed(
            f"{path.name}: unexpected error: {reason}", {"counts": report.counts}
        ) from exc
    _finish(registry, report, "completed", None, actor)
    return report


def _start(
    registry: Registry, report: BatchReport, batch_id: int | None, actor: Principal | None
) -> int:
    """Create the batch (or restart a queued one from scratch) and mark it running."""
    with registry.sessions() as session:
        ensure_agency(session, report.agency)
        if batch_id is None:
            batch = ImportBatch(
                agency_code=report.agency,
                source_format=report.source_format,
                file_name=report.file_name,
                sha256=report.sha256,
                dry_run=report.dry_run,
            )
            session.add(batch)
            session.flush()
            session.add(
                ImportJob(
                    batch_id=batch.id,
                    state="running",
                    stored_path=report.file_name,
                    source_format=report.source_format,
                    submitted_by=command_line_principal().token_name,
                    retryable=False,
                    attempts=1,
                    worker=worker_name(),
                    heartbeat_at=utcnow(),
                )
            )
            audit.record(
                session,
                "import.run",
                f"batch {batch.id}",
                "started",
                actor=actor,
                details={"file": report.file_name, "agency": report.agency},
            )
        else:
            batch = session.get(ImportBatch, batch_id)
            session.execute(delete(Rejection).where(Rejection.batch_id == batch_id))
            session.execute(delete(ImportFinding).where(ImportFinding.batch_id == batch_id))
            batch.source_format = report.source_format
            batch.sha256 = report.sha256
            batch.started_at = utcnow()
            batch.finished_at = None
            for action in ("read", *ACTIONS):
                setattr(batch, f"{action}_count", 0)
        batch.status = "running"
        batch.message = None
        session.commit()
        return batch.id


def _agency_countries(registry: Registry) -> dict[str, str]:
    """Return every registered agency's country."""
    with registry.sessions() as session:
        return dict(session.execute(select(Agency.code, Agency.country)).all())


def _store_progress(registry: Registry, report: BatchReport, job: JobLease | None) -> None:
    """Store the running counts of the batch and the worker's heartbeat."""
    counts = {f"{action}_count": report.counts[action] for action in ("read", *ACTIONS)}
    with registry.sessions() as session:
        session.execute(
            update(ImportBatch).where(ImportBatch.id == report.batch_id).values(**counts)
        )
        if job is not None:
            job.beat(session)
        session.commit()


def _fail_queued(registry: Registry, batch_id: int | None, message: str) -> None:
    """Mark a queued batch failed when its file cannot even be recognised."""
    if batch_id is None:
        return
    with registry.sessions() as session:
        batch = session.get(ImportBatch, batch_id)
        batch.status, batch.message, batch.finished_at = "failed", message, utcnow()
        session.execute(
            update(ImportJob).where(ImportJob.batch_id == batch_id).values(state="done")
        )
        session.commit()


def _finish(
    registry: Registry,
    report: BatchReport,
    status: str,
    message: str | None,
    actor: Principal | None = None,
) -> None:
    """Store the final counts and status of the batch, its job's end and an audit row."""
    with registry.sessions() as session:
        batch = session.get(ImportBatch, report.batch_id)
        batch.status = status
        batch.message = message
        batch.finished_at = utcnow()
        for action in ("read", *ACTIONS):
            setattr(batch, f"{action}_count", report.counts[action])
        session.execute(
            update(ImportJob).where(ImportJob.batch_id == report.batch_id).values(state="done")
        )
        audit.record(
            session,
            "import.finish",
            f"batch {report.batch_id}",
            status,
            actor=actor,
            details={"counts": report.counts, "message": message},
        )
        session.commit()
