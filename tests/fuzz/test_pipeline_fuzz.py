"""Broken files through the whole import: a report that reconciles or a refusal, never `running`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from registry.context import Registry
from registry.errors import ImportFailed
from registry.models import ImportBatch
from registry.services.imports import run_import
from tests.fuzz.seeds import SEED_FILES, file_contents
from tests.fuzz.test_importers_fuzz import IN_CI

PIPELINE = settings(
    max_examples=4,
    deadline=None,
    derandomize=IN_CI,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def _statuses(registry: Registry) -> list[str]:
    """Return the status of every import batch so far."""
    with registry.sessions() as session:
        return list(session.scalars(select(ImportBatch.status).order_by(ImportBatch.id)))


@pytest.mark.parametrize("source_format", sorted(SEED_FILES))
def test_broken_files_end_in_a_reconciled_report_or_a_failed_batch(
    registry: Registry, source_format: str
) -> None:
    @PIPELINE
    @given(data=file_contents(source_format))
    def run(data: bytes) -> None:
        before = len(_statuses(registry))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "fuzz.dat"
            path.write_bytes(data)
            try:
                report = run_import(registry, path, source_format)
            except ImportFailed as exc:
                assert exc.message and "\n" not in exc.message
                statuses = _statuses(registry)
                assert statuses[before:] in ([], ["failed"])
                return
        assert report.reconciles()
        assert len(report.rejections) == report.counts["rejected"]
        assert _statuses(registry)[before:] == ["completed"]

    run()
