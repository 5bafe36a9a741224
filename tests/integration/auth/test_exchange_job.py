"""scripts/exchange-job between two registries on one machine, as docs/exchange-jobs.md runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import replace

import pytest

from registry.auth.tokens import create_token
from registry.context import Registry
from registry.migrate import upgrade
from registry.services.agencies import ensure_agency
from tests.integration.auth.conftest import exchange_line
from tests.integration.auth.live import ROOT, log_tail, registry_env, serve, start, stop

A_AGENCY, B_AGENCY = "AR-INCAA", "UY-ACAU"


def _tokens(registry: Registry, own: str, mirrored: str) -> dict[str, str]:
    """Register both agencies; return a token of each (the own one writes, the other mirrors)."""
    with registry.sessions() as session:
        ensure_agency(session, own)
        ensure_agency(session, mirrored)
        tokens = {
            own: create_token(session, own, "submitter").secret,
            mirrored: create_token(session, mirrored, "submitter").secret,
        }
        session.commit()
    return tokens


def _request(method: str, url: str, token: str | None = None, body: dict | None = None):  # noqa: ANN202
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _put(base: str, token: str, agency: str, key: str, title: str, year: int) -> None:
    body = json.loads(exchange_line(key, title, year=year))
    status, answer = _request("PUT", f"{base}/api/v1/records/{agency}/{key}", token, body)
    assert status in (200, 201), answer


@pytest.fixture
def second_registry(registry: Registry, tmp_path) -> Registry:  # noqa: ANN001
    """Return another registry on its own SQLite database and index prefix."""
    folder = tmp_path / "b"
    settings = replace(
        registry.settings,
        instance_path=folder,
        database_url=f"sqlite:///{folder / 'registry.sqlite3'}",
        index_prefix=f"{registry.index_prefix}b-",
    )
    reg = Registry(settings)
    upgrade(reg)
    yield reg
    reg.close()


def test_an_exchange_job_pulls_the_neighbours_changes_and_pushes_its_own(
    registry, second_registry, tmp_path
):
    a_tokens = _tokens(registry, A_AGENCY, B_AGENCY)
    b_tokens = _tokens(second_registry, B_AGENCY, A_AGENCY)
    processes = []
    try:
        a_server, a_url = serve(registry)
        b_server, b_url = serve(second_registry)
        processes += [a_server, b_server]
        processes += [start(registry, "worker", "--no-index")]
        processes += [start(second_registry, "worker", "--no-index")]
        job_env = registry_env(
            registry,
            LOCAL_URL=a_url,
            LOCAL_TOKEN=a_tokens[B_AGENCY],
            LOCAL_AGENCY=A_AGENCY,
            REMOTE_URL=b_url,
            REMOTE_TOKEN=b_tokens[A_AGENCY],
            REMOTE_AGENCY=B_AGENCY,
            REGISTRY=f"{sys.executable} -m registry",
        )

        def run_job() -> str:
            done = subprocess.run(
                [str(ROOT / "scripts" / "exchange-job"), str(tmp_path / "state")],
                env=job_env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr + log_tail(registry, "worker")
            return done.stdout

        _put(b_url, b_tokens[B_AGENCY], B_AGENCY, "u1", "La uruguaya", 2001)
        _put(b_url, b_tokens[B_AGENCY], B_AGENCY, "u2", "Whisky", 2004)
        _put(a_url, a_tokens[A_AGENCY], A_AGENCY, "a1", "Relatos salvajes", 2014)
        first = run_job()
        assert '"created":2' in first.replace(" ", "") and '"created":1' in first.replace(" ", "")

        assert _request("GET", f"{a_url}/api/v1/records/{B_AGENCY}/u1")[1]["work"]["year"] == 2001
        pushed_key = f"{A_AGENCY}:exchange-jsonl:a1"
        status, pushed = _request("GET", f"{b_url}/api/v1/records/{A_AGENCY}/{pushed_key}")
        assert status == 200 and pushed["work"]["titles"][0]["text"] == "Relatos salvajes"

        _put(b_url, b_tokens[B_AGENCY], B_AGENCY, "u1", "La uruguaya", 2002)
        status, _ = _request("DELETE", f"{b_url}/api/v1/records/{B_AGENCY}/u2", b_tokens[B_AGENCY])
        assert status == 200
        _put(a_url, a_tokens[A_AGENCY], A_AGENCY, "a2", "El secreto de sus ojos", 2009)
        run_job()

        assert _request("GET", f"{a_url}/api/v1/records/{B_AGENCY}/u1")[1]["work"]["year"] == 2002
        assert _request("GET", f"{a_url}/api/v1/records/{B_AGENCY}/u2")[0] == 404
        status, _ = _request(
            "GET", f"{b_url}/api/v1/records/{A_AGENCY}/{A_AGENCY}:exchange-jsonl:a2"
        )
        assert status == 200

        third = run_job()
        assert "pulled" not in third or '"created":0' in third.replace(" ", "")
    finally:
        stop(*processes)
