"""A 200 MB submission over real HTTP is streamed to disk: the server's peak RSS stays small."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from registry.auth.tokens import create_token
from registry.context import Registry
from registry.services.agencies import ensure_agency
from tests.integration.auth.conftest import exchange_line

SIZE = 200 * 1000 * 1000
PIECE = 1 << 20
CHUNKED_SIZE = 3 * PIECE + 17
RSS_LIMIT_KIB = 300 * 1024
ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _body(size: int, head: bytes = b"", tail: bytes = b"") -> Iterator[bytes]:
    """Yield exactly size bytes: head, exchange lines, tail; never more than a MiB at once."""
    line = (exchange_line("k", "Obra de relleno") + "\n").encode()
    filler = line * (PIECE // len(line))
    remaining = size - len(head) - len(tail)
    yield head
    while remaining > 0:
        piece = filler[:remaining]
        remaining -= len(piece)
        yield piece
    yield tail


def _tree_peak_kib(pid: int) -> int:
    """Return the largest peak resident set (VmHWM) of a process and its descendants."""
    peak, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
        pending.extend(int(c) for c in children)
    return peak


def _post(port: int, path: str, headers: dict[str, str], body: Iterator[bytes]) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def _serve(registry: Registry, port: int) -> subprocess.Popen:
    settings = registry.settings
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": settings.database_url,
        "REGISTRY_INSTANCE_PATH": str(settings.instance_path),
        "REGISTRY_INDEX_PREFIX": settings.index_prefix,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(settings.instance_path / "serve.log").open("ab"),
    )


def test_a_200_mb_upload_keeps_the_server_under_300_mib(registry):
    with registry.sessions() as session:
        ensure_agency(session, "AR-INCAA")
        secret = create_token(session, "AR-INCAA", "submitter").secret
        session.commit()
    port = _free_port()
    server = _serve(registry, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (
                registry.settings.instance_path / "serve.log"
            ).read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        auth = {"Authorization": f"Bearer {secret}"}
        raw_status, raw = _post(
            port,
            "/api/v1/imports?file_name=big.jsonl",
            {**auth, "Content-Type": "application/octet-stream", "Content-Length": str(SIZE)},
            _body(SIZE),
        )
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.jsonl"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        multi_status, multi = _post(
            port,
            "/api/v1/imports",
            {
                **auth,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(SIZE),
            },
            _body(SIZE, head, tail),
        )
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            "POST",
            "/api/v1/imports?file_name=chunked.jsonl",
            body=_body(CHUNKED_SIZE),
            headers=auth,
            encode_chunked=True,
        )
        chunked = conn.getresponse()
        chunked_status, chunked_body = chunked.status, json.loads(chunked.read())
        conn.close()
        peak = _tree_peak_kib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert (raw_status, raw["status"]) == (202, "queued")
    assert (multi_status, multi["status"]) == (202, "queued")
    assert (chunked_status, chunked_body["status"]) == (202, "queued"), chunked_body
    uploads = sorted((registry.settings.instance_path / "uploads").glob("*.jsonl"))
    sizes = sorted(path.stat().st_size for path in uploads)
    assert sizes == [CHUNKED_SIZE, SIZE - len(head) - len(tail), SIZE]
    print(f"server peak RSS over two 200 MB uploads: {peak / 1024:.0f} MiB")
    assert 0 < peak < RSS_LIMIT_KIB
