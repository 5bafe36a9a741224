"""A worker killed with SIGKILL mid-file: the job is retried, completes, nothing is doubled."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from registry.auth.principal import Principal
from registry.context import Registry
from registry.models import ImportBatch, SourceRecord, Work
from registry.services import jobs
from tests.integration.auth.conftest import exchange_line

RECORDS = 6000
ROOT = Path(__file__).resolve().parents[3]


def _worker(registry: Registry) -> subprocess.Popen:
    """Start `registry worker` on the test database, with a short stale limit."""
    settings = registry.settings
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": settings.database_url,
        "REGISTRY_INSTANCE_PATH": str(settings.instance_path),
        "REGISTRY_IMPORT_BATCH_SIZE": "100",
        "REGISTRY_JOB_STALE_SECONDS": "2",
        "REGISTRY_JOB_POLL_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "registry", "worker", "--no-index"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(settings.instance_path / "worker.log").open("ab"),
    )


def worker_log(registry: Registry) -> str:
    """Return the end of what the workers wrote to standard error."""
    path = registry.settings.instance_path / "worker.log"
    return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def _batch(registry: Registry, batch_id: int) -> ImportBatch:
    with registry.sessions() as session:
        return session.get(ImportBatch, batch_id)


def _wait(predicate, seconds: float, proc: subprocess.Popen, registry: Registry) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not predicate():
        assert proc.poll() is None, worker_log(registry)
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_worker_job_is_rerun_to_completion_without_duplicates(registry):
    text = "".join(
        exchange_line(f"k{i}", f"Obra {i}", year=2000 + i % 20) + "\n" for i in range(RECORDS)
    )
    path = jobs.spool(registry, io.BytesIO(text.encode()), ".jsonl")
    admin = Principal("AR-INCAA", "admin", "test-admin")
    batch_id = jobs.submit(registry, admin, path, "big.jsonl", agency="AR-INCAA").id

    first = _worker(registry)
    try:
        _wait(lambda: _batch(registry, batch_id).read_count >= 300, 120, first, registry)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    killed = _batch(registry, batch_id)
    assert killed.status == "running" and 0 < killed.read_count < RECORDS

    second = _worker(registry)
    try:
        _wait(lambda: _batch(registry, batch_id).status == "completed", 300, second, registry)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    batch = _batch(registry, batch_id)
    counts = {
        a: getattr(batch, f"{a}_count")
        for a in ("read", "created", "updated", "unchanged", "deleted", "rejected")
    }
    assert counts["read"] == RECORDS
    assert counts["read"] == sum(v for k, v in counts.items() if k != "read")
    assert counts["created"] + counts["unchanged"] == RECORDS and counts["unchanged"] > 0
    with registry.sessions() as session:
        records = session.scalar(select(func.count()).select_from(SourceRecord))
        keys = session.scalar(select(func.count(func.distinct(SourceRecord.source_key))))
        works = session.scalar(select(func.count()).select_from(Work))
    assert records == keys == works == RECORDS
