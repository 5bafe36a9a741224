"""A worker's hold on a running import job: a heartbeat that also notices a lost job."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from registry.models import ImportJob
from registry.models.base import utcnow


class LeaseLost(Exception):
    """The job was taken from this worker (declared stale and handed to another)."""


def worker_name() -> str:
    """Return a name that identifies this process: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class JobLease:
    """The job a worker holds, renewed with every chunk it writes."""

    job_id: int
    worker: str

    def beat(self, session: Session) -> None:
        """Renew the heartbeat; raise LeaseLost when the job is no longer this worker's."""
        result = session.execute(
            update(ImportJob)
            .where(
                ImportJob.id == self.job_id,
                ImportJob.worker == self.worker,
                ImportJob.state == "running",
            )
            .values(heartbeat_at=utcnow())
        )
        if result.rowcount != 1:
            raise LeaseLost(f"import job {self.job_id} was taken from worker {self.worker}")
