"""Shared fixtures: a fresh database per test, a real Elasticsearch node per run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.context import Registry

REFERENCE_DATA = Path(__file__).resolve().parents[1] / "samples"
TEST_DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
RUN_PREFIX = f"test-{uuid.uuid4().hex[:8]}-"


def reference_file(relative: str) -> Path:
    """Return a real agency or MovieLabs file bundled in samples/ (the repository holds them)."""
    path = REFERENCE_DATA / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: samples/ ships with the repository")
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """In CI, turn every skipped test into a failure, so a green run means it all ran."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Registry]:
    """Return a registry on a new, migrated SQLite database (PostgreSQL if configured)."""
    from registry.migrate import upgrade

    overrides = {
        "instance_path": tmp_path,
        "index_prefix": f"{RUN_PREFIX}{uuid.uuid4().hex[:6]}-",
        "testing": True,
        # Tests send bursts on purpose; tests/integration/auth/test_rate_limits.py turns it on.
        "rate_limit_enabled": False,
    }
    if not os.environ.get("REGISTRY_TEST_DATABASE_URL"):
        overrides["database_url"] = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    else:
        overrides["database_url"] = os.environ["REGISTRY_TEST_DATABASE_URL"]
    reg = Registry.from_settings(overrides)
    upgrade(reg)
    yield reg
    if reg.engine.dialect.name != "sqlite":
        from registry.models import Base

        Base.metadata.drop_all(reg.engine)
        with reg.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    reg.close()


@pytest.fixture(scope="session")
def es_url() -> str:
    """Return the URL of a reachable Elasticsearch node; skip locally, fail in CI."""
    from registry.search.client import make_client, ping

    url = os.environ.get("REGISTRY_ELASTICSEARCH_URL") or (
        f"http://127.0.0.1:{os.environ.get('REGISTRY_ES_PORT', '9200')}"
    )
    client = make_client(url, timeout=5)
    try:
        ping(client)
    except Exception as exc:  # noqa: BLE001
        message = f"Elasticsearch is not reachable at {url}: {exc}"
        if IN_CI:
            pytest.fail(message + " (CI requires it; start it with `registry dev-es start`)")
        pytest.skip(message + " (start it with `registry dev-es start`)")
    finally:
        client.close()
    return url


@pytest.fixture(scope="session", autouse=True)
def _clean_test_indices(request: pytest.FixtureRequest) -> Iterator[None]:
    """Delete every index this run created once the session ends."""
    yield
    from registry.search.client import make_client
    from registry.search.management import delete_prefix

    url = os.environ.get("REGISTRY_ELASTICSEARCH_URL") or "http://127.0.0.1:9200"
    client = make_client(url, timeout=5)
    try:
        delete_prefix(client, RUN_PREFIX)
    except Exception:  # noqa: BLE001, S110
        pass
    finally:
        client.close()


@pytest.fixture
def search_registry(registry: Registry, es_url: str) -> Iterator[Registry]:
    """Return a registry wired to the real node with its own index prefix."""
    from dataclasses import replace

    from registry.search.management import ensure_index

    reg = Registry(replace(registry.settings, elasticsearch_url=es_url))
    ensure_index(reg.search, reg.index_prefix)
    yield reg
    reg.close()
