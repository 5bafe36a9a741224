"""Read and validate a file's records in chunks, in this process or in a second one.

With `import_workers` at 1 (the default) a file of PARALLEL_MIN_BYTES or more is parsed and
validated in a child process while this one writes: the child sends chunks of prepared
records through a queue of QUEUE_DEPTH chunks, so memory stays flat whatever the file's size
and the child waits when the writer falls behind. Smaller files, and every file at 0, are read
in this process, where a child would cost more than it saves.

The child ignores SIGINT and SIGTERM (the writing process decides when to stop, as `registry
worker` finishes its current file) and ends itself when the writing process disappears; the
writing process kills the child whenever it stops reading early (an error, Ctrl-C). An
exception in the child reaches the writer as the same exception, so a batch fails with the
reason it gives in one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue as queues
import resource
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any

from importers.base import Finding, ParsedRecord, UnreadableFile
from importers.registry import get_importer
from registry.services import policy
from registry.services.authority import authority_for
from registry.services.chunks import Prepared, prepare_chunk
from registry.services.records import SourceInfo

PARALLEL_MIN_BYTES = 1 << 20
GC_FIRST_THRESHOLD = 50_000
_GC_LOCK = threading.Lock()
_GC_USERS: list[Any] = []  # the thresholds before the first running import, then one per import
QUEUE_DEPTH = 4
POLL_SECONDS = 0.5
STOP_SECONDS = 5.0


@dataclass(frozen=True)
class ReadPlan:
    """What the reading side needs to know: the file, its format, who imports it, chunk size."""

    path: Path
    source_format: str
    agency: str
    claimant: str | None
    authority_spec: str
    agency_countries: Mapping[str, str]
    chunk_size: int


def read_chunks(plan: ReadPlan) -> Iterator[list[Prepared]]:
    """Yield the file's records validated, in chunks; a broken file hands over what it read."""
    authority = authority_for(plan.agency, plan.authority_spec, plan.agency_countries)
    records = get_importer(plan.source_format)().records(plan.path)
    screened = policy.screen(records, plan.source_format, plan.claimant, authority)
    for chunk in chunks(screened, plan.chunk_size):
        yield prepare_chunk(plan.agency, plan.source_format, chunk)


def chunks(records: Iterable[ParsedRecord], size: int) -> Iterator[list[ParsedRecord]]:
    """Group records into lists of at most size; a source that breaks hands over what it read."""
    iterator = iter(records)
    while True:
        chunk: list[ParsedRecord] = []
        try:
            for record in islice(iterator, size):
                chunk.append(record)
        except UnreadableFile:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while a file streams through.

    A chunk allocates hundreds of thousands of short-lived containers that reference counting
    frees; with the default threshold the collector ran every 700 of them and took ~30 % of
    the writer's CPU time. Cycles are still collected, less often.
    """
    with _GC_LOCK:  # imports may overlap in one process: the first sets, the last restores
        if not _GC_USERS:
            _GC_USERS.append(gc.get_threshold())
            first, *rest = _GC_USERS[0]
            gc.set_threshold(max(first, GC_FIRST_THRESHOLD), *rest)
        _GC_USERS.append(None)
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_USERS.pop()
            if len(_GC_USERS) == 1:
                gc.set_threshold(*_GC_USERS.pop())


def uses_child(plan: ReadPlan, workers: int) -> bool:
    """Tell whether the file is worth a reading process of its own."""
    return workers > 0 and plan.path.stat().st_size >= PARALLEL_MIN_BYTES


class ChunkReader:
    """Iterate over a file's prepared chunks; a context manager that never leaves a child behind.

    child_cpu_seconds and child_peak_rss_mib hold the CPU time and the peak resident set size
    of the reading process, once it has finished.
    """

    def __init__(self, plan: ReadPlan, workers: int) -> None:
        self.plan = plan
        self.in_child = uses_child(plan, workers)
        self.child_cpu_seconds = 0.0
        self.child_peak_rss_mib = 0.0
        self._process: multiprocessing.process.BaseProcess | None = None
        self._queue: Any = None

    def __enter__(self) -> ChunkReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[list[Prepared]]:
        """Yield the chunks, from this process or from the child."""
        if not self.in_child:
            yield from read_chunks(self.plan)
            return
        context = _context()
        self._queue = context.Queue(maxsize=QUEUE_DEPTH)
        process = context.Process(
            target=_produce, args=(self.plan, self._queue), name="registry-import-reader"
        )
        process.daemon = True
        process.start()
        self._process = process
        while True:
            kind, payload = self._next_message()
            if kind == "chunk":
                yield [_unflat(self.plan, flat) for flat in payload]
            elif kind == "done":
                self.child_cpu_seconds, self.child_peak_rss_mib = payload
                return
            else:
                error, (self.child_cpu_seconds, self.child_peak_rss_mib) = payload
                raise _as_itself(error)

    def _next_message(self) -> tuple[str, Any]:
        """Wait for the child's next message; a child that died silently is an error."""
        assert self._process is not None
        while True:
            try:
                return self._queue.get(timeout=POLL_SECONDS)
            except queues.Empty:
                if self._process.is_alive():
                    continue
            try:  # it may have sent its last message just before it ended
                return self._queue.get(timeout=POLL_SECONDS)
            except queues.Empty:
                code = self._process.exitcode
                message = f"the reading process ended without a word (exit code {code})"
                raise ChildGone(message) from None

    def close(self) -> None:
        """Stop the child if it still runs and release the queue."""
        process, self._process = self._process, None
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(STOP_SECONDS)
        if self._queue is not None:
            self._queue.close()
            self._queue.join_thread()
            self._queue = None


class ChildGone(RuntimeError):
    """The reading process ended without finishing or reporting an error."""


def _context() -> multiprocessing.context.BaseContext:
    """Return forkserver where the platform has it (children start warm), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _produce(plan: ReadPlan, out: Any) -> None:
    """Read the file in the child and send its chunks, then "done" or the error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _end_with_the_writer()
    gc.freeze()  # what the process inherited is never garbage: keep it out of collections
    try:
        with fewer_collections():
            for chunk in read_chunks(plan):
                _send(out, ("chunk", [_flat(item) for item in chunk]))
    except Exception as exc:  # noqa: BLE001 - every error goes to the writer, which fails the batch
        _send(out, ("error", (_portable(exc), _usage())))
        return
    _send(out, ("done", _usage()))


def _flat(item: Prepared) -> tuple[Any, ...]:
    """Return a prepared record as plain values, several times cheaper to unpickle than objects.

    The record's data is left behind: once validated the writer needs the aggregate only.
    """
    r = item.record
    findings = [(f.severity, f.code, f.path, f.message) for f in r.findings]
    return (r.locator, r.raw, r.key, r.errors, r.action, r.authoritative, findings,
            item.aggregate, item.errors, item.digest, item.normalized)  # fmt: skip


def _unflat(plan: ReadPlan, flat: tuple[Any, ...]) -> Prepared:
    """Rebuild a prepared record sent by _flat."""
    locator, raw, key, errors, action, authoritative, findings, aggregate, *rest = flat
    record = ParsedRecord(locator, raw, key, None, errors, action, authoritative)
    record.findings = [Finding(*finding) for finding in findings]
    source = None
    if not rest[0]:
        source = SourceInfo(plan.agency, plan.source_format, key or "", authoritative, locator)
    return Prepared(record, source, aggregate, rest[0], "rejected", rest[1], rest[2])


def _usage() -> tuple[float, float]:
    """Return this process's CPU seconds and peak resident set size in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return time.process_time(), peak / (2**20 if sys.platform == "darwin" else 2**10)


def _end_with_the_writer() -> None:
    """End this process at once when the writing process is gone, whatever it is doing.

    The queue's feeder thread may be blocked writing to a full pipe that nobody will read
    again (this process holds its read end too), and exiting normally would wait for it.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        """Wait for the writer's end, then leave without cleaning up."""
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="registry-import-watch", daemon=True).start()


def _send(out: Any, message: tuple[str, Any]) -> None:
    """Put a message on the bounded queue; leave when the writing process is gone."""
    parent = multiprocessing.parent_process()
    while True:
        try:
            out.put(message, timeout=POLL_SECONDS)
            return
        except queues.Full:
            if parent is not None and not parent.is_alive():
                os._exit(1)


def _portable(exc: Exception) -> Exception:
    """Return the exception, or a same-named stand-in when it cannot cross to the writer."""
    try:
        pickle.loads(pickle.dumps(exc))
        portable = exc
    except Exception:  # noqa: BLE001 - any failure to round-trip means: send a stand-in
        portable = _PlainError(exc.__class__.__name__, str(exc))
    portable.__notes__ = ["in the reading process:\n" + "".join(traceback.format_exception(exc))]
    return portable


class _PlainError(RuntimeError):
    """An error of the reading process that could not be sent as itself: its name and text."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(name, message)
        self.name, self.message = name, message


def _as_itself(error: Exception) -> Exception:
    """Give a stand-in the class name of the error it stands for, as run_import reports it."""
    if not isinstance(error, _PlainError):
        return error
    named = type(error.name, (RuntimeError,), {"__module__": __name__})(error.message)
    named.__notes__ = getattr(error, "__notes__", [])
    return named
