"""Integration tests: files parsed and validated in a second process while the first writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from registry.context import Registry
from registry.errors import ImportFailed
from registry.models import ImportBatch, ImportFinding, Rejection, SourceRecord
from registry.services import import_reader
from registry.services.import_reader import ChunkReader, ReadPlan, read_chunks
from registry.services.imports import run_import

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DIRECTORS = "diretores-de-obras-nao-publicitarias-estrangeiras.csv"


@pytest.fixture
def in_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every file, however small, to a reading process."""
    monkeypatch.setattr(import_reader, "PARALLEL_MIN_BYTES", 0)


def plan(path: Path, source_format: str, chunk_size: int = 500) -> ReadPlan:
    """Return the reading plan of a file imported by ANCINE."""
    return ReadPlan(path, source_format, "BR-ANCINE", None, "ZZ-EXCHANGE=*", {}, chunk_size)


def alive(pid: int) -> bool:
    """Tell whether a process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_small_files_and_zero_workers_stay_in_one_process(tmp_path: Path) -> None:
    path = DATA / "ancine" / "crt-2023.csv"
    assert path.stat().st_size < import_reader.PARALLEL_MIN_BYTES
    assert not ChunkReader(plan(path, "ancine-crt"), 1).in_child
    big = tmp_path / "big.csv"
    big.write_bytes(
        path.read_bytes() * (import_reader.PARALLEL_MIN_BYTES // path.stat().st_size + 1)
    )
    assert ChunkReader(plan(big, "ancine-crt"), 1).in_child
    assert not ChunkReader(plan(big, "ancine-crt"), 0).in_child


def test_the_child_prepares_what_this_process_would(in_child: None) -> None:
    path = DATA / "ancine" / "crt-2023.csv"
    here = [item for chunk in read_chunks(plan(path, "ancine-crt", 3)) for item in chunk]
    with ChunkReader(plan(path, "ancine-crt", 3), 1) as reader:
        assert reader.in_child
        chunks = list(reader)
    there = [item for chunk in chunks for item in chunk]
    assert [len(chunk) for chunk in chunks][:2] == [3, 3]
    assert len(there) == len(here) > 3
    assert reader.child_cpu_seconds > 0 and reader.child_peak_rss_mib > 0
    for mine, theirs in zip(here, there, strict=True):
        assert theirs.record.data is None  # left behind: the writer needs the aggregate
        for name in ("locator", "raw", "key", "errors", "action", "authoritative", "findings"):
            assert getattr(theirs.record, name) == getattr(mine.record, name)
        assert (theirs.source, theirs.aggregate, theirs.errors) == (
            mine.source,
            mine.aggregate,
            mine.errors,
        )
        assert (theirs.digest, theirs.normalized) == (mine.digest, mine.normalized)


def test_an_import_through_the_child_stores_what_one_process_stores(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DATA / "ancine" / "broken-cpb.csv"
    alone = run_import(registry, path)
    monkeypatch.setattr(import_reader, "PARALLEL_MIN_BYTES", 0)
    assert ChunkReader(plan(path, "ancine-cpb"), registry.settings.import_workers).in_child
    again = run_import(registry, path)
    assert again.counts == {**alone.counts, "created": 0, "unchanged": alone.counts["created"]}
    assert list(again.rejections) == list(alone.rejections) and len(again.rejections) == 3
    assert again.reader_cpu_seconds > 0 and alone.reader_cpu_seconds == 0
    with registry.sessions() as session:
        rejected = session.scalars(
            select(Rejection.locator).where(Rejection.batch_id == again.batch_id)
        ).all()
        assert sorted(rejected) == ["line 3", "line 4", "line 5"]


def test_new_records_from_the_child_match_a_fresh_import(
    registry: Registry, in_child: None
) -> None:
    path = DATA / "ancine" / "crt-2023.csv"
    report = run_import(registry, path)
    assert report.reconciles() and report.counts["created"] > 0
    assert report.reader_cpu_seconds > 0
    expected = {
        item.record.key: (item.digest, orjson.loads(item.normalized), item.record.raw)
        for chunk in read_chunks(plan(path, "ancine-crt"))
        for item in chunk
        if not item.errors
    }
    with registry.sessions() as session:
        stored = session.execute(
            select(
                SourceRecord.source_key,
                SourceRecord.sha256,
                SourceRecord.normalized,
                SourceRecord.payload,
            )  # fmt: skip
        ).all()
        findings = session.scalars(
            select(ImportFinding.code).where(ImportFinding.batch_id == report.batch_id)
        ).all()
    assert {key: (digest, normalized, raw) for key, digest, normalized, raw in stored} == expected
    assert len(findings) == sum(report.warnings.values()) + sum(report.notices.values())


def test_a_file_breaking_in_the_child_fails_the_batch_with_the_same_reason(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DATA / "avails" / "hostile" / "truncated-v2.4.xml"
    with pytest.raises(ImportFailed) as alone:
        run_import(registry, path)
    monkeypatch.setattr(import_reader, "PARALLEL_MIN_BYTES", 0)
    with pytest.raises(ImportFailed) as child:
        run_import(registry, path)
    assert child.value.message == alone.value.message
    assert "malformed or truncated XML at line 211, column 17" in child.value.message
    with registry.sessions() as session:
        batches = session.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()
    assert [b.status for b in batches] == ["failed", "failed"]
    assert batches[0].message == batches[1].message
    assert (batches[1].read_count, batches[1].unchanged_count) == (2, 2)  # what came before


def test_an_unexpected_error_in_the_child_arrives_as_itself(in_child: None) -> None:
    broken = plan(DATA / "ancine" / "crt-2023.csv", "no-such-format")
    with pytest.raises(Exception) as in_this_process:
        list(read_chunks(broken))
    with ChunkReader(broken, 1) as reader, pytest.raises(Exception) as from_child:
        list(reader)
    assert type(from_child.value) is type(in_this_process.value)
    assert str(from_child.value) == str(in_this_process.value)
    assert "in the reading process" in from_child.value.__notes__[0]


def test_an_error_that_cannot_cross_keeps_its_name_and_text() -> None:
    class Unpicklable(Exception):
        def __init__(self, first: str, second: str) -> None:
            super().__init__(f"{first} and {second}")

    sent = import_reader._portable(Unpicklable("tape", "glue"))
    received = import_reader._as_itself(sent)
    assert received.__class__.__name__ == "Unpicklable"
    assert str(received) == "tape and glue"
    assert isinstance(received, RuntimeError)


def test_stopping_early_leaves_no_child(in_child: None) -> None:
    path = DATA / "ancine" / "directors.csv"
    with pytest.raises(KeyboardInterrupt), ChunkReader(plan(path, "ancine-directors", 1), 1) as r:
        for _ in r:
            process = r._process
            raise KeyboardInterrupt
    assert process is not None and not process.is_alive()
    assert r._process is None and r._queue is None


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_child_ends_when_the_writer_is_killed(tmp_path: Path, how: signal.Signals) -> None:
    """A writer killed while its child waits on a full queue and pipe leaves no process behind.

    Chunks of 500 directors fill the queue and the pipe under it, where a child would wait
    forever on exit for its queue's thread to finish writing.
    """
    script = tmp_path / "writer.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from pathlib import Path
            from registry.services import import_reader
            from registry.services.import_reader import ChunkReader, ReadPlan

            if __name__ == "__main__":
                path = Path({str(ROOT / "samples" / "ancine" / DIRECTORS)!r})
                plan = ReadPlan(path, "ancine-directors", "BR-ANCINE", None, "", {{}}, 500)
                reader = ChunkReader(plan, 1)
                chunks = iter(reader)
                next(chunks)
                print(reader._process.pid, flush=True)
                time.sleep(60)
            """
        )
    )
    writer = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(writer.stdout.readline())
        assert alive(child)
        with open(f"/proc/{child}/stat") as handle:
            server = int(handle.read().split(")")[-1].split()[1])  # the forkserver
        time.sleep(2)  # the child fills the queue and the pipe meanwhile
        os.kill(writer.pid, how)
        writer.wait(10)
        deadline = time.monotonic() + 10
        while (alive(child) or alive(server)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child) and not alive(server)
    finally:
        writer.kill()
        writer.wait()


def test_the_child_reads_on_through_a_sigterm(in_child: None) -> None:
    """`registry worker` finishes its file on SIGTERM: a signal to the group spares the child."""
    path = DATA / "ancine" / "directors.csv"
    expected = sum(len(chunk) for chunk in read_chunks(plan(path, "ancine-directors", 2)))
    with ChunkReader(plan(path, "ancine-directors", 2), 1) as reader:
        chunks = iter(reader)
        read = len(next(chunks))
        os.kill(reader._process.pid, signal.SIGTERM)
        os.kill(reader._process.pid, signal.SIGINT)
        read += sum(len(chunk) for chunk in chunks)
    assert read == expected > 2


def test_overlapping_imports_restore_the_collector_once_both_end() -> None:
    import gc

    before = gc.get_threshold()
    outer = import_reader.fewer_collections()
    inner = import_reader.fewer_collections()
    outer.__enter__()
    inner.__enter__()
    assert gc.get_threshold()[0] == max(before[0], import_reader.GC_FIRST_THRESHOLD)
    outer.__exit__(None, None, None)
    assert gc.get_threshold()[0] == max(before[0], import_reader.GC_FIRST_THRESHOLD)
    inner.__exit__(None, None, None)
    assert gc.get_threshold() == before
