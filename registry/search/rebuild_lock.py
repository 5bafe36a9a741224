"""One index rebuild at a time per database and alias, released even when the process dies."""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from registry.errors import RegistryError


class RebuildRunning(RegistryError):
    """Another index rebuild holds the lock."""

    code = "rebuild_running"
    status = 409


BUSY = "another `registry index rebuild` is running on this database and alias"


def lock_key(prefix: str) -> int:
    """Return the advisory lock number of the rebuild of one alias."""
    return zlib.crc32(f"registry:index-rebuild:{prefix}works".encode())


@contextmanager
def rebuild_lock(engine: Engine, prefix: str) -> Iterator[None]:
    """Hold the rebuild lock (PostgreSQL advisory lock, else a file lock beside the database)."""
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, lock_key(prefix)):
            yield
        return
    with _file_lock(_lock_path(engine, prefix)):
        yield


@contextmanager
def _advisory_lock(engine: Engine, key: int) -> Iterator[None]:
    """Hold a session-level advisory lock on a connection of its own."""
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
            raise RebuildRunning(BUSY)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()


def _lock_path(engine: Engine, prefix: str) -> Path:
    """Return the lock file beside the SQLite database (or in the temporary folder)."""
    database = engine.url.database
    name = f".index-rebuild-{lock_key(prefix)}.lock"
    if database and database != ":memory:":
        return Path(database).resolve().parent / name
    return Path(os.environ.get("TMPDIR", "/tmp")) / name  # noqa: S108


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive, non-blocking flock on a file."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RebuildRunning(BUSY) from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
