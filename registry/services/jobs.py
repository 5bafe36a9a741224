"""The durable import queue: submitted files wait on disk, workers claim and run them."""

from __future__ import annotations

import fcntl
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select, update

from importers.base import UnreadableFile
from importers.registry import detect_format, get_importer
from registry.auth.principal import Principal
from registry.context import Registry
from registry.errors import (
    Forbidden,
    ImportFailed,
    PayloadTooLarge,
    UnsupportedFormat,
)
from registry.models import ImportBatch, ImportJob
from registry.models.base import utcnow
from registry.services import audit
from registry.services.agencies import ensure_agency
from registry.services.imports import file_sha256, run_import
from registry.services.job_lease import JobLease, LeaseLost, worker_name

log = logging.getLogger(__name__)
COPY_CHUNK = 1 << 20


def upload_dir(registry: Registry) -> Path:
    """Return (and create) the folder where submitted files wait for a worker."""
    folder = Path(registry.settings.upload_path or registry.settings.instance_path / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spool(registry: Registry, stream: BinaryIO, suffix: str = "") -> Path:
    """Copy a request body to the upload folder in 1 MiB pieces, refusing it over the limit."""
    limit = registry.settings.max_upload_bytes
    target = upload_dir(registry) / f"{uuid.uuid4().hex}{suffix[-16:]}"
    written = 0
    try:
        with target.open("wb") as out:
            while piece := stream.read(COPY_CHUNK):
                written += len(piece)
                if written > limit:
                    raise PayloadTooLarge(f"the file is larger than the limit of {limit} bytes")
                out.write(piece)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def submit(
    registry: Registry,
    principal: Principal,
    path: Path,
    file_name: str,
    source_format: str = "auto",
    dry_run: bool = False,
    agency: str | None = None,
) -> ImportBatch:
    """Queue a spooled file as an import batch of the caller's agency; 415 or 403 when refused."""
    try:
        name = detect_format(path) if source_format == "auto" else source_format
        importer_cls = get_importer(name)
    except (UnreadableFile, OSError, KeyError, ValueError) as exc:
        path.unlink(missing_ok=True)
        raise UnsupportedFormat(str(exc).replace(path.name, file_name)) from exc
    declared = importer_cls.agency if not importer_cls.agency.startswith("ZZ-") else None
    target = agency or (principal.agency if not principal.is_admin else None) or declared
    target = target or importer_cls.agency
    refusal = _refusal(principal, declared, target)
    if refusal:
        path.unlink(missing_ok=True)
        audit.record_now(registry, "import.submit", file_name, "forbidden", actor=principal)
        raise Forbidden(refusal)
    with registry.sessions() as session:
        ensure_agency(session, target)
        batch = ImportBatch(
            agency_code=target,
            source_format=name,
            file_name=file_name[:500],
            sha256=file_sha256(path),
            dry_run=dry_run,
            status="queued",
        )
        session.add(batch)
        session.flush()
        session.add(
            ImportJob(
                batch_id=batch.id,
                stored_path=str(path),
                source_format=name,
                submitted_by=principal.token_name,
            )
        )
        audit.record(
            session,
            "import.submit",
            f"batch {batch.id}",
            "queued",
            actor=principal,
            details={"file": file_name, "format": name, "agency": target, "dry_run": dry_run},
        )
        session.commit()
        return batch


def _refusal(principal: Principal, declared: str | None, target: str) -> str | None:
    """Say why a caller may not submit a file for an agency, or None when it may."""
    if principal.is_admin:
        return None if declared in (None, target) else f"the file declares {declared}, not {target}"
    if declared is not None and declared != principal.agency:
        return f"the file declares {declared}; a client of {principal.agency} may not submit it"
    if target != principal.agency:
        return f"a client of {principal.agency} may not submit for {target}"
    return None


def claim_next(registry: Registry, worker: str) -> ImportJob | None:
    """Take the oldest queued job; on PostgreSQL rows locked by another worker are skipped."""
    with registry.sessions() as session:
        stmt = select(ImportJob).where(ImportJob.state == "queued").order_by(ImportJob.id).limit(1)
        if registry.engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        job = session.scalars(stmt).first()
        if job is None:
            return None
        claimed = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.state == "queued")
            .values(
                state="running",
                worker=worker,
                heartbeat_at=utcnow(),
                attempts=ImportJob.attempts + 1,
            )
        )
        if claimed.rowcount != 1:
            session.rollback()
            return None
        session.execute(
            update(ImportBatch).where(ImportBatch.id == job.batch_id).values(status="running")
        )
        session.commit()
        session.refresh(job)
        return job


def sweep_stale(registry: Registry) -> list[int]:
    """Mark batches of workers silent for too long `interrupted`; queue again those that may."""
    settings = registry.settings
    limit = utcnow() - timedelta(seconds=settings.job_stale_seconds)
    with registry.sessions() as session:
        stale = session.scalars(
            select(ImportJob)
            .where(ImportJob.state == "running", ImportJob.heartbeat_at < limit)
            .with_for_update(skip_locked=True)
        ).all()
        for job in stale:
            retry = job.retryable and job.attempts < settings.job_max_attempts
            batch = session.get(ImportBatch, job.batch_id)
            batch.status = "interrupted"
            batch.message = f"worker {job.worker} stopped answering; " + (
                "queued again" if retry else "not retried"
            )
            batch.finished_at = None if retry else utcnow()
            job.state, job.worker = ("queued" if retry else "done"), None
            audit.record(
                session,
                "import.interrupt",
                f"batch {job.batch_id}",
                "interrupted",
                details={"retry": retry, "attempts": job.attempts},
            )
        session.commit()
        return [job.batch_id for job in stale]


def process(registry: Registry, job: ImportJob, after_commit: Callable | None = None) -> None:
    """Run a claimed job to its end; the batch ends completed or failed, never running."""
    lease = JobLease(job.id, job.worker or worker_name())
    with registry.sessions() as session:
        batch = session.get(ImportBatch, job.batch_id)
        agency, dry_run = batch.agency_code, batch.dry_run
    path = Path(job.stored_path)
    try:
        run_import(
            registry,
            path,
            job.source_format,
            agency,
            dry_run,
            None if dry_run else after_commit,
            batch_id=job.batch_id,
            job=lease,
            claimant=agency,
            actor=Principal(agency, "submitter", job.submitted_by),
        )
    except LeaseLost:
        log.warning("job %s was taken over by another worker", job.id)
        return
    except ImportFailed as exc:
        log.warning("batch %s failed: %s", job.batch_id, exc.message)
    if not path.exists():
        _finish_missing(registry, job)
    path.unlink(missing_ok=True)


def _finish_missing(registry: Registry, job: ImportJob) -> None:
    """Fail a job whose file disappeared before a worker could read it."""
    with registry.sessions() as session:
        batch = session.get(ImportBatch, job.batch_id)
        if batch.status in ("running", "queued"):
            batch.status, batch.message = "failed", "the submitted file is missing"
            batch.finished_at = utcnow()
        session.execute(update(ImportJob).where(ImportJob.id == job.id).values(state="done"))
        session.commit()


def run_worker(
    registry: Registry,
    once: bool = False,
    after_commit: Callable | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    when_idle: Callable[[], object] | None = None,
) -> int:
    """Process queued jobs until stopped (or until the queue is empty with once).

    when_idle (linkage of pending records) runs once the queue is empty: right after files were
    imported, otherwise at most every link_poll_seconds (records PUT over HTTP wait that long).
    """
    name, done = worker_name(), 0
    every = registry.settings.link_poll_seconds
    fresh, last_idle = False, time.monotonic()
    while not should_stop():
        with _one_writer(registry):
            sweep_stale(registry)
            job = claim_next(registry, name)
            if job is not None:
                process(registry, job, after_commit)
                done += 1
                fresh = True
                continue
            due = fresh or (every > 0 and time.monotonic() - last_idle >= every)
            if when_idle is not None and due:
                when_idle()
                fresh, last_idle = False, time.monotonic()
        if once:
            return done
        time.sleep(registry.settings.job_poll_seconds)
    return done


@contextmanager
def _one_writer(registry: Registry) -> Iterator[None]:
    """On SQLite let one worker at a time write (a file lock); PostgreSQL workers run at once.

    SQLite refuses, rather than waits for, a write in a transaction that began reading
    before another writer committed; workers take turns per file instead.
    """
    if registry.engine.dialect.name != "sqlite":
        yield
        return
    with (upload_dir(registry) / ".worker.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
