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

It prints both rates (works/s), the ratio registry/raw (target >= 0.70) and the CPU seconds of
this process and its document-building workers for each, then deletes the scratch index. The
rebuilt alias is deleted unless `--keep` is given.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
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
            out.write(orjson.dumps(action) + b"\n" + (body or b"{}") + b"\n")
            written += 1
    return written


def read_pairs(path: Path) -> Iterator[tuple[bytes, bytes | None]]:
    """Yield the pre-serialised (action, body) pairs of the file."""
    with path.open("rb") as lines:
        for action in lines:
            body = next(lines)
            yield action.rstrip(b"\n"), (None if b'"delete"' in action[:12] else body[:-1])


def run_registry(registry: Registry, workers: int | None) -> tuple[float, float, dict]:
    """Time a full rebuild; return (seconds, CPU seconds of this process, result)."""
    cpu, start = cpu_seconds(), time.perf_counter()
    result = indexer.rebuild(registry, workers)
    return time.perf_counter() - start, cpu_seconds() - cpu, result


def run_raw(registry: Registry, path: Path, scratch: str) -> tuple[float, float, int]:
    """Time creating, loading and refreshing a scratch index from the file."""
    client = registry.search
    cpu, start = cpu_seconds(), time.perf_counter()
    management.create_index(client, scratch, bulk_load=True)
    outcome = send(registry, read_pairs(path))
    management.finish_bulk_load(client, scratch)
    return time.perf_counter() - start, cpu_seconds() - cpu, outcome.done


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
            secs, cpu, result = run_registry(registry, args.workers)
            raw_secs, raw_cpu, raw_done = run_raw(registry, path, scratch)
            ours, raw = result["documents"] / secs, raw_done / raw_secs
            print(
                f"round {round_no}: registry {result['documents']} works in {secs:.1f} s = "
                f"{ours:,.0f} works/s (cpu {cpu:.1f} s, refused {result['refused']}); "
                f"raw {raw_done} docs in {raw_secs:.1f} s = {raw:,.0f} docs/s "
                f"(cpu {raw_cpu:.1f} s); ratio {ours / raw:.2f}"
            )
    management.delete_indices(registry.search, [scratch])
    if not args.keep:
        management.delete_prefix(registry.search, args.prefix)
    registry.close()


if __name__ == "__main__":
    main()
