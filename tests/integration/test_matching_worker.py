"""The worker links what agencies submit over HTTP as soon as its queue is empty."""

from __future__ import annotations

import io

from click.testing import CliRunner
from sqlalchemy import select

from registry.auth.principal import Principal
from registry.cli.worker import worker_command
from registry.matching.pipeline import link_pending, pending_units
from registry.models import Identifier
from registry.services import jobs
from registry.services.imports import run_import
from tests.conftest import TEST_DATA

DATA = TEST_DATA / "matching"
ANCINE = Principal("BR-ANCINE", "submitter", "ancine-system")


def _work(session, scheme: str, value: str) -> int:  # noqa: ANN001
    """Return the current work holding an identifier."""
    stmt = select(Identifier.work_id).where(Identifier.scheme == scheme, Identifier.value == value)
    return session.scalars(stmt).first()


def _submit(registry, name: str) -> int:  # noqa: ANN001
    """Queue a bundled test file as ANCINE's submission; return its batch id."""
    data = (DATA / name).read_bytes()
    path = jobs.spool(registry, io.BytesIO(data), ".csv")
    return jobs.submit(registry, ANCINE, path, name, "ancine-countries").id


def test_the_worker_links_a_submitted_file_to_another_agencys_work(registry, monkeypatch):
    run_import(registry, DATA / "acau-cross-agency.csv")
    link_pending(registry)
    _submit(registry, "ancine-countries-cross-agency.csv")
    with registry.sessions() as session:
        assert _work(session, "uy_acau", "T0232") is not None
    monkeypatch.setenv("REGISTRY_DATABASE_URL", registry.settings.database_url)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(registry.settings.instance_path))
    result = CliRunner().invoke(worker_command, ["--once", "--no-index"])
    assert result.exit_code == 0, result.output
    with registry.sessions() as session:
        assert not pending_units(session), "the worker left submitted records unlinked"
        assert _work(session, "uy_acau", "T0232") == _work(session, "br_cpb", "B1500798600000")


def test_without_linkage_the_submitted_records_stay_pending(registry):
    run_import(registry, DATA / "acau-cross-agency.csv")
    link_pending(registry)
    _submit(registry, "ancine-countries-cross-agency.csv")
    assert jobs.run_worker(registry, once=True) == 1
    with registry.sessions() as session:
        assert pending_units(session)
        assert _work(session, "uy_acau", "T0232") != _work(session, "br_cpb", "B1500798600000")


def test_an_idle_worker_links_at_most_every_link_poll_seconds(registry):
    from dataclasses import replace

    from registry.context import Registry

    quick = Registry(replace(registry.settings, link_poll_seconds=0.05, job_poll_seconds=0.01))
    calls: list[int] = []
    loops = {"n": 0}

    def stop() -> bool:
        loops["n"] += 1
        return loops["n"] > 30

    assert jobs.run_worker(quick, should_stop=stop, when_idle=lambda: calls.append(1)) == 0
    assert 1 <= len(calls) < 30, "idle linkage runs on its own clock, not on every poll"
    never = Registry(replace(registry.settings, link_poll_seconds=0, job_poll_seconds=0.0))
    loops["n"], calls[:] = 0, []
    jobs.run_worker(never, should_stop=stop, when_idle=lambda: calls.append(1))
    assert calls == []
