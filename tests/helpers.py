"""Helpers for tests that write aggregates directly through the services."""

from __future__ import annotations

from typing import Any

from registry.context import Registry
from registry.services.agencies import ensure_agency
from registry.services.records import SourceInfo
from registry.services.works import WorkWriter
from schemas.aggregate import WORK_AGGREGATE


def write_aggregates(
    registry: Registry,
    items: list[tuple[str, dict[str, Any]]],
    agency: str = "ZZ-EXCHANGE",
    source_format: str = "test",
) -> list[int]:
    """Load and write (key, aggregate) pairs in one unit of work; return the work ids."""
    ids = []
    with registry.sessions() as session:
        ensure_agency(session, agency)
        writer = WorkWriter(session)
        for key, data in items:
            outcome = writer.upsert(
                SourceInfo(agency, source_format, key), WORK_AGGREGATE.load(data), raw=str(data)
            )
            ids.append(outcome.work_id)
        session.commit()
    return ids
