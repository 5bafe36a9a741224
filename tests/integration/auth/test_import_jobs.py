"""Submitted files as durable jobs: queued, running, completed, failed, interrupted, retried."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select, update

from registry.app import create_app
from registry.auth.principal import Principal
from registry.context import Registry
from registry.models import AuditEntry, ImportBatch, ImportJob, SourceRecord
from registry.models.base import utcnow
from registry.services import imports, jobs
from tests.integration.auth.conftest import exchange_line

SUBMITTER = Principal("AR-INCAA", "submitter", "incaa-system")


def _submit(registry: Registry, text: str, name: str = "d.jsonl", fmt: str = "auto") -> int:
    """Spool text as a submitted file and queue it; return the batch id."""
    path = jobs.spool(registry, io.BytesIO(text.encode()), ".jsonl")
    return jobs.submit(registry, SUBMITTER, path, name, fmt).id


def _batch(registry: Registry, batch_id: int) -> ImportBatch:
    with registry.sessions() as session:
        return session.get(ImportBatch, batch_id)


def _lines(count: int, prefix: str = "k") -> str:
    return "".join(exchange_line(f"{prefix}{i}", f"Obra {i}") + "\n" for i in range(count))


def test_a_submission_waits_queued_then_completes_with_reconciling_counts(registry):
    reg = Registry(replace(registry.settings, import_batch_size=2))
    batch_id = _submit(reg, _lines(5))
    assert _batch(reg, batch_id).status == "queued"
    assert jobs.run_worker(reg, once=True) == 1
    batch = _batch(reg, batch_id)
    assert batch.status == "completed" and batch.finished_at is not None
    assert (batch.read_count, batch.created_count, batch.rejected_count) == (5, 5, 0)
    with reg.sessions() as session:
        job = session.scalar(select(ImportJob).where(ImportJob.batch_id == batch_id))
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert job.state == "done" and job.attempts == 1
    assert actions == ["import.submit", "import.finish"]
    assert not list(jobs.upload_dir(reg).glob("*.jsonl")), "the processed file is removed"


def test_progress_counts_are_stored_per_chunk(registry):
    reg = Registry(replace(registry.settings, import_batch_size=2))
    batch_id = _submit(reg, _lines(5))
    seen: list[int] = []

    def watch(_n: int) -> None:
        seen.append(_batch(reg, batch_id).read_count)

    with reg.sessions() as session:
        agency = session.get(ImportBatch, batch_id).agency_code
        path = session.scalar(select(ImportJob.stored_path).where(ImportJob.batch_id == batch_id))
    imports.run_import(reg, jobs.Path(path), "auto", agency, progress=watch, batch_id=batch_id)
    assert seen == [2, 4, 5]


def test_an_unreadable_file_fails_the_batch_with_the_reason(registry):
    batch_id = _submit(registry, "not an object\n", fmt="exchange-jsonl")
    jobs.run_worker(registry, once=True)
    batch = _batch(registry, batch_id)
    assert batch.status == "failed"
    assert "not a JSON object" in batch.message


def test_an_unexpected_error_fails_the_batch_and_the_worker_goes_on(registry, monkeypatch):
    first = _submit(registry, _lines(2, "a"), "boom.jsonl")
    second = _submit(registry, _lines(2, "b"), "fine.jsonl")
    real = imports.write_chunk

    def write_chunk(reg, report, chunk, *rest):  # noqa: ANN001, ANN002, ANN202
        if report.file_name.startswith("boom") or report.batch_id == first:
            raise RuntimeError("disk on fire")
        return real(reg, report, chunk, *rest)

    monkeypatch.setattr(imports, "write_chunk", write_chunk)
    assert jobs.run_worker(registry, once=True) == 2
    failed, done = _batch(registry, first), _batch(registry, second)
    assert failed.status == "failed" and "RuntimeError: disk on fire" in failed.message
    assert done.status == "completed" and done.created_count == 2


def test_the_cli_reports_an_unexpected_error_and_imports_the_next_file(
    registry, tmp_path, monkeypatch
):
    from registry.cli.importing import import_command

    boom, fine = tmp_path / "boom.jsonl", tmp_path / "fine.jsonl"
    boom.write_text(_lines(2, "a"))
    fine.write_text(_lines(2, "b"))
    real = imports.write_chunk

    def write_chunk(reg, report, chunk, *rest):  # noqa: ANN001, ANN002, ANN202
        if report.file_name == "boom.jsonl":
            raise RuntimeError("disk on fire")
        return real(reg, report, chunk, *rest)

    monkeypatch.setattr(imports, "write_chunk", write_chunk)
    monkeypatch.setenv("REGISTRY_DATABASE_URL", registry.settings.database_url)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(registry.settings.instance_path))
    result = CliRunner().invoke(import_command, ["--no-index", str(boom), str(fine)])
    assert result.exit_code == 2
    assert "boom.jsonl: unexpected error: RuntimeError: disk on fire" in result.output
    with registry.sessions() as session:
        statuses = dict(session.execute(select(ImportBatch.file_name, ImportBatch.status)).all())
        records = session.scalar(select(func.count()).select_from(SourceRecord))
    assert statuses == {"boom.jsonl": "failed", "fine.jsonl": "completed"}
    assert records == 2


def _go_silent(registry: Registry, batch_id: int) -> None:
    """Claim a job as a worker that then dies without a word."""
    job = jobs.claim_next(registry, "dead-host:1")
    assert job is not None and job.batch_id == batch_id
    with registry.sessions() as session:
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id)
            .values(heartbeat_at=utcnow() - timedelta(hours=1))
        )
        session.commit()


def test_a_silent_worker_leaves_an_interrupted_batch_that_is_retried(registry):
    batch_id = _submit(registry, _lines(3))
    _go_silent(registry, batch_id)
    assert _batch(registry, batch_id).status == "running"
    assert jobs.sweep_stale(registry) == [batch_id]
    interrupted = _batch(registry, batch_id)
    assert interrupted.status == "interrupted" and "dead-host:1" in interrupted.message
    assert jobs.run_worker(registry, once=True) == 1
    batch = _batch(registry, batch_id)
    assert (batch.status, batch.read_count, batch.created_count) == ("completed", 3, 3)
    with registry.sessions() as session:
        assert session.scalar(select(ImportJob.attempts).where(ImportJob.batch_id == batch_id)) == 2


def test_a_job_is_given_up_after_the_configured_attempts(registry):
    reg = Registry(replace(registry.settings, job_max_attempts=1))
    batch_id = _submit(reg, _lines(1))
    _go_silent(reg, batch_id)
    jobs.sweep_stale(reg)
    assert jobs.run_worker(reg, once=True) == 0
    batch = _batch(reg, batch_id)
    assert batch.status == "interrupted" and "not retried" in batch.message


def test_a_worker_whose_job_was_taken_stops_writing(registry):
    batch_id = _submit(registry, _lines(1))
    job = jobs.claim_next(registry, "slow-host:1")
    with registry.sessions() as session:
        session.execute(update(ImportJob).where(ImportJob.id == job.id).values(worker="other:2"))
        session.commit()
    jobs.process(registry, job)
    with registry.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SourceRecord)) <= 1
    assert _batch(registry, batch_id).status == "running", "left to the worker that holds it"


def test_a_body_over_the_limit_is_refused_with_413_and_nothing_kept(registry):
    from registry.auth.tokens import create_token
    from registry.services.agencies import ensure_agency

    reg = Registry(replace(registry.settings, max_upload_bytes=1000, rate_limit_enabled=False))
    with reg.sessions() as session:
        ensure_agency(session, "AR-INCAA")
        secret = create_token(session, "AR-INCAA", "submitter").secret
        session.commit()
    client = create_app(registry=reg).test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    body = _lines(40).encode()
    big = body * (1 + (2 << 20) // len(body))
    sized = client.post("/api/v1/imports", data=big, headers=headers)
    small_limit = client.post("/api/v1/imports", data=body, headers=headers)
    multipart = client.post(
        "/api/v1/imports", data={"file": (io.BytesIO(big), "big.jsonl")}, headers=headers
    )
    assert [r.status_code for r in (sized, small_limit, multipart)] == [413] * 3
    assert {r.get_json()["code"] for r in (sized, small_limit)} == {"payload_too_large"}
    assert not list(jobs.upload_dir(reg).glob("*"))
    with reg.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_a_killed_command_line_import_is_marked_interrupted_by_the_next(
    registry, tmp_path, monkeypatch
):
    from registry.cli.importing import import_command
    from registry.services.agencies import ensure_agency

    with registry.sessions() as session:
        ensure_agency(session, "ZZ-EXCHANGE")
        batch = ImportBatch(
            agency_code="ZZ-EXCHANGE",
            source_format="exchange-jsonl",
            file_name="gone.jsonl",
            sha256="0" * 64,
        )
        session.add(batch)
        session.flush()
        session.add(
            ImportJob(
                batch_id=batch.id,
                state="running",
                stored_path="gone.jsonl",
                source_format="exchange-jsonl",
                submitted_by="cli:test",
                retryable=False,
                attempts=1,
                worker="host:99999",
                heartbeat_at=utcnow() - timedelta(hours=1),
            )
        )
        session.commit()
        stale_id = batch.id
    fine = tmp_path / "fine.jsonl"
    fine.write_text(_lines(1))
    monkeypatch.setenv("REGISTRY_DATABASE_URL", registry.settings.database_url)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(registry.settings.instance_path))
    result = CliRunner().invoke(import_command, ["--no-index", str(fine)])
    assert result.exit_code == 0, result.output
    assert (
        f"batch {stale_id} of a process that stopped answering is now interrupted" in result.output
    )
    stale = _batch(registry, stale_id)
    assert stale.status == "interrupted" and "not retried" in stale.message
