"""Real registry processes for tests: `registry serve` and `registry worker` on a test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from registry.context import Registry

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def registry_env(registry: Registry, **extra: str) -> dict[str, str]:
    """Return the environment that points the command line at a test registry."""
    settings = registry.settings
    return {
        **os.environ,
        "REGISTRY_DATABASE_URL": settings.database_url,
        "REGISTRY_INSTANCE_PATH": str(settings.instance_path),
        "REGISTRY_INDEX_PREFIX": settings.index_prefix,
        "REGISTRY_ELASTICSEARCH_URL": settings.elasticsearch_url,
        "REGISTRY_RATE_LIMIT_ENABLED": "false",
        "REGISTRY_JOB_POLL_SECONDS": "0.2",
        **extra,
    }


def start(registry: Registry, *args: str) -> subprocess.Popen:
    """Start `registry <args>` on the test registry, its errors kept in the instance folder."""
    log = (registry.settings.instance_path / f"{args[0]}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "registry", *args],
        env=registry_env(registry),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def serve(registry: Registry) -> tuple[subprocess.Popen, str]:
    """Start a server and wait until it accepts connections; return it and its base URL."""
    port = free_port()
    proc = start(registry, "serve", "--port", str(port))
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log_tail(registry, "serve")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def stop(*procs: subprocess.Popen) -> None:
    """Ask processes to stop, then wait for them."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def log_tail(registry: Registry, name: str) -> str:
    """Return the end of a process's error log."""
    path = registry.settings.instance_path / f"{name}.log"
    return path.read_text(errors="replace")[-3000:] if path.exists() else ""
