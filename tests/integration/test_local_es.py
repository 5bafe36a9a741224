"""The local Elasticsearch manager: start, reuse and status against a real node."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from registry.devtools.local_es import LocalElasticsearch, LocalElasticsearchError


class _NotElasticsearch(BaseHTTPRequestHandler):
    """Answer every request like an unrelated web service."""

    def do_GET(self) -> None:  # noqa: N802
        """Send a plain-text page."""
        body = b"hello"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def local_es() -> LocalElasticsearch:
    """Return a manager whose node runs, starting or reusing it; skip if it cannot start."""
    es = LocalElasticsearch()
    try:
        es.start(timeout=180)
    except LocalElasticsearchError as exc:
        pytest.skip(f"the local Elasticsearch node cannot start here: {exc}")
    return es


@pytest.fixture
def foreign_port() -> Iterator[int]:
    """Serve a non-Elasticsearch HTTP service on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotElasticsearch)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.es
def test_status_reports_the_running_node(local_es: LocalElasticsearch) -> None:
    status = local_es.status()
    assert status["running"] is True
    assert status["url"] == local_es.url == f"http://127.0.0.1:{local_es.port}"
    assert status["health"] in {"green", "yellow"}
    assert str(status["version"]).split(".")[0] == "9"
    if status["managed"]:
        assert isinstance(status["pid"], int)
        assert Path(status["pid_file"]).is_file()


@pytest.mark.es
def test_second_start_reuses_the_node(local_es: LocalElasticsearch) -> None:
    began = time.monotonic()
    assert local_es.start(timeout=30) == local_es.url
    assert local_es.reused is True
    assert time.monotonic() - began < 10


def test_port_taken_by_another_service_is_reported(foreign_port: int, tmp_path: Path) -> None:
    es = LocalElasticsearch(port=foreign_port, home=tmp_path)
    with pytest.raises(LocalElasticsearchError, match=f"Port {foreign_port}.*--port"):
        es.start(timeout=5)
    assert not (tmp_path / "downloads").exists()
