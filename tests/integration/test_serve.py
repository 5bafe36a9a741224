"""`registry serve` starts a real HTTP server that answers searches and errors as JSON."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time

from registry.search import indexer, management
from tests.helpers import write_aggregates


def _free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, dict]:
    """GET path from the server; return status and JSON body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_serve_answers_over_http(search_registry):
    ids = write_aggregates(
        search_registry,
        [("a", {"titles": [{"text": "Whisky", "language": "es"}], "work_type": "movie"})],
    )
    indexer.index_works(search_registry, ids)
    management.refresh(search_registry.search, search_registry.index_prefix)
    settings = search_registry.settings
    port = _free_port()
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": settings.database_url,
        "REGISTRY_ELASTICSEARCH_URL": settings.elasticsearch_url,
        "REGISTRY_INDEX_PREFIX": settings.index_prefix,
        "REGISTRY_INSTANCE_PATH": str(settings.instance_path),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stdout.read().decode()
            try:
                status, body = _get(port, "/readyz")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        assert status == 200 and body["ready"] is True
        status, body = _get(port, "/api/v1/works?q=wisky")
        assert status == 200 and [item["id"] for item in body["items"]] == ids
        status, body = _get(port, "/api/v1/works?year_from=1")
        assert status == 422 and "year_from" in body["errors"]
        status, body = _get(port, f"/api/v1/works/{ids[0]}")
        assert status == 200 and body["id"] == ids[0]
        second = subprocess.run(
            [sys.executable, "-m", "registry", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode != 0
        assert f"127.0.0.1:{port} is already in use" in second.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=15)
