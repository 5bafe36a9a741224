"""Two agencies' files imported at once by two workers share works, never duplicate them."""

from __future__ import annotations

import io
import json
import signal
import time

from sqlalchemy import func, select

from registry.auth.principal import Principal
from registry.models import Identifier, ImportBatch, Work
from registry.services import jobs
from tests.integration.auth.test_worker_kill import _worker, worker_log

RECORDS = 1500


def _file(agency_tag: str) -> bytes:
    """Return exchange lines stating the same works (same IMDb ids) under an agency's keys."""
    lines = []
    for i in range(RECORDS):
        work = {
            "work_type": "movie",
            "year": 1990 + i % 30,
            "titles": [{"text": f"Obra compartida {i}", "language": "es", "kind": "original"}],
            "identifiers": [{"scheme": "imdb", "value": f"tt{1000000 + i:07d}"}],
            "contributions": [
                {"role": "director", "party": {"kind": "person", "name": f"Dir {i % 50}"}}
            ],
        }
        lines.append(
            json.dumps(
                {"format": "av-registry-exchange/1", "key": f"{agency_tag}-{i}", "work": work}
            )
        )
    return ("\n".join(lines) + "\n").encode()


def test_two_submissions_at_once_create_each_work_once(registry):
    batches = []
    for agency in ("AR-INCAA", "UY-ACAU"):
        path = jobs.spool(registry, io.BytesIO(_file(agency)), ".jsonl")
        principal = Principal(agency, "submitter", f"{agency}-system")
        batches.append(jobs.submit(registry, principal, path, f"{agency}.jsonl").id)
    workers = [_worker(registry), _worker(registry)]
    try:
        deadline = time.monotonic() + 300
        while True:
            with registry.sessions() as session:
                statuses = session.scalars(
                    select(ImportBatch.status).where(ImportBatch.id.in_(batches))
                ).all()
            if all(s in ("completed", "failed") for s in statuses):
                break
            assert all(w.poll() is None for w in workers), worker_log(registry)
            assert time.monotonic() < deadline, f"timed out: {statuses}"
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    with registry.sessions() as session:
        rows = session.scalars(select(ImportBatch).where(ImportBatch.id.in_(batches))).all()
        works = session.scalar(
            select(func.count()).select_from(Work).where(Work.deleted.is_(False))
        )
        per_value = session.execute(
            select(Identifier.value, func.count(func.distinct(Identifier.work_id)))
            .where(Identifier.scheme == "imdb")
            .group_by(Identifier.value)
        ).all()
    assert [(b.status, b.read_count, b.rejected_count) for b in rows] == [
        ("completed", RECORDS, 0)
    ] * 2
    assert works == RECORDS
    assert len(per_value) == RECORDS and {n for _, n in per_value} == {1}
