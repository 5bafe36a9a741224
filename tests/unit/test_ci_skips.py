"""In CI a skipped test fails the run; elsewhere it is reported as skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPING_TEST = """
import pytest


def test_needs_a_service():
    pytest.skip("the service is not reachable")
"""


def _run_pytest(folder: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """Run pytest on a folder whose conftest uses the suite's hook, with or without CI set."""
    (folder / "conftest.py").write_text(
        "from tests.conftest import pytest_runtest_makereport  # noqa: F401\n", encoding="utf-8"
    )
    (folder / "test_skipping.py").write_text(SKIPPING_TEST, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            str(folder),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=120,
    )


def test_a_skip_fails_the_run_in_ci(tmp_path: Path) -> None:
    result = _run_pytest(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
    assert "skipped in CI, where every test must run: Skipped: the service is not reachable" in (
        result.stdout
    )


def test_a_skip_stays_a_skip_outside_ci(tmp_path: Path) -> None:
    result = _run_pytest(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
