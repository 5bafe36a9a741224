"""Compare `registry index rebuild` with raw `_bulk` of the same documents, in one run.

Usage: python bench/index.py [--prefix bench-index-] [--rounds 1]

The database is the one the REGISTRY_* settings name (default: the demo's instance/ database,
so run `./scripts/run` once first, or point REGISTRY_INSTANCE_PATH / REGISTRY_DATABASE_URL at a
filled registry). Each round:

1. **registry**: `indexer.rebuild()` under the given prefix: set-based document queries per
   chunk, orjson, `helpers.parallel_bulk`, refresh, alias swap, catch-up pass, old index dropped.
2. **raw**: the identical documents, serialised beforehand into a temporary NDJSON file, sent
   with the same `helpers.parallel_bulk` settings (threads, documents per request) into a scratch
   index created with the same mapping, then refreshed. Only reading the file remains in Python.

It prints both rates (works/s), the ratio registry/raw (target >= 0.70), and for each the CPU
seconds of this process with its document-building workers, of the Elasticsearch node (its
process statistics) and of every other process (/proc/stat); then the CPU per document of this
process and the node together, whose raw/registry ratio holds when other load makes wall time
noisy. It deletes the scratch index, and the rebuilt alias unless `--keep` is given.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from registry.context import Registry  # noqa: E402
from registry.search import indexer, management  # noqa: E402
from registry.search.builders import Outcome, all_pairs, default_workers  # noqa: E402
from registry.search.indexer import send  # noqa: E402


def cpu_seconds() -> float:
    """Return the CPU time this process has used so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_pairs(registry: Registry, index: str, path: Path) -> int:
    """Serialise every work's bulk pair into an NDJSON file; return how many were written."""
    import orjson

    written = 0
    with path.open("wb") as out:
        for action, body in all_pairs(registry, index, Outcome(), workers=0):
            action = action if isinstance(action, bytes) else orjson.dumps(action)
            out.write(action + b"\n" + (body or b"{}") + b"\n")
            written += 1
    return written


def read_pairs(path: Path) -> Iterator[tuple[bytes, bytes | None]]:
    """Yield the pre-serialised (action, body) pairs of the file."""
    with path.open("rb") as lines:
        for action in lines:
            body = next(lines)
            yield action.rstrip(b"\n"), (None if b'"delete"' in action[:12] else body[:-1])


@dataclass
class Phase:
    """What one timed phase cost: wall seconds and CPU seconds, here, in the node, elsewhere."""

    seconds: float
    ours: float
    node: float
    others: float
    done: int = 0

    def cpu_line(self) -> str:
        """Return the CPU figures as printed."""
        return (
            f"cpu: this process {self.ours:.1f} s, node {self.node:.1f} s, "
            f"others {self.others:.1f} s"
        )


def node_cpu(registry: Registry) -> float:
    """Return the CPU seconds the Elasticsearch node's process has used so far."""
    stats = registry.search.nodes.stats(metric="process")
    return sum(n["process"]["cpu"]["total_in_millis"] for n in stats["nodes"].values()) / 1000


def machine_cpu() -> float:
    """Return the CPU seconds every process on this machine has used so far (/proc/stat)."""
    with open("/proc/stat") as stat:
        ticks = [int(v) for v in stat.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


@contextmanager
def timed(registry: Registry) -> Iterator[list[Phase]]:
    """Time the block; the list it gives holds the Phase once the block ends."""
    found: list[Phase] = []
    start = (time.perf_counter(), cpu_seconds(), node_cpu(registry), machine_cpu())
    yield found
    end = (time.perf_counter(), cpu_seconds(), node_cpu(registry), machine_cpu())
    wall, ours, node, busy = (b - a for a, b in zip(start, end, strict=True))
    found.append(Phase(wall, ours, node, max(busy - ours - node, 0.0)))


def run_registry(registry: Registry, workers: int | None) -> tuple[Phase, dict]:
    """Time a full rebuild; return its phase and the rebuild's result."""
    with timed(registry) as phase:
        result = indexer.rebuild(registry, workers)
    phase[0].done = result["documents"]
    return phase[0], result


def run_raw(registry: Registry, path: Path, scratch: str) -> Phase:
    """Time creating, loading and refreshing a scratch index from the file."""
    client = registry.search
    with timed(registry) as phase:
        management.create_index(client, scratch, bulk_load=True)
        outcome = send(registry, read_pairs(path))
        management.finish_bulk_load(client, scratch)
    phase[0].done = outcome.done
    return phase[0]


def main() -> None:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="bench-index-")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="document-building processes")
    parser.add_argument("--keep", action="store_true", help="keep the rebuilt alias")
    args = parser.parse_args()
    registry = Registry.from_settings({"index_prefix": args.prefix})
    scratch = f"{args.prefix}raw-scratch"
    print(f"database: {registry.settings.database_url}")
    workers = default_workers(registry) if args.workers is None else args.workers
    per_request = f"{indexer.BULK_DOCS} documents per request"
    print(f"threads {indexer.THREADS}, {per_request}, {workers} builder processes")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pairs.ndjson"
        started = time.perf_counter()
        count = write_pairs(registry, scratch, path)
        size = path.stat().st_size / 1e6
        print(f"serialised {count} works ({size:.0f} MB) in {time.perf_counter() - started:.1f} s")
        for round_no in range(1, args.rounds + 1):
            management.delete_indices(registry.search, [scratch])
            ours, result = run_registry(registry, args.workers)
            raw = run_raw(registry, path, scratch)
            rate, raw_rate = ours.done / ours.seconds, raw.done / raw.seconds
            per_doc = (ours.ours + ours.node) / ours.done * 1e6
            raw_per_doc = (raw.ours + raw.node) / raw.done * 1e6
            print(
                f"round {round_no}: load {os.getloadavg()[0]:.1f}\n"
                f"  registry {ours.done} works in {ours.seconds:.1f} s = {rate:,.0f} works/s "
                f"(refused {result['refused']}); {ours.cpu_line()}\n"
                f"  raw      {raw.done} docs in {raw.seconds:.1f} s = {raw_rate:,.0f} docs/s; "
                f"{raw.cpu_line()}\n"
                f"  ratio {rate / raw_rate:.2f} (wall); CPU of this process and the node per "
                f"document: registry {per_doc:.0f} us, raw {raw_per_doc:.0f} us, ratio "
                f"{raw_per_doc / per_doc:.2f}"
            )
    management.delete_indices(registry.search, [scratch])
    if not args.keep:
        management.delete_prefix(registry.search, args.prefix)
    registry.close()


if __name__ == "__main__":
    main()
