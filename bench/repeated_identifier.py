"""Show that records repeating one identifier cost what distinct ones do: import and index time.

Usage: python bench/repeated_identifier.py [--records 12000] [--scale 4]

Generates exchange JSONL files of N and N x scale records (the bundled template's licensed
film, a key of its own each) that all name one identifier, so that every record is placed in
one work, and imports each into a fresh SQLite database with indexing after each chunk, as
`registry import` does, into a scratch index (deleted afterwards). Prints seconds and rows/s,
whether the one work was indexed (its document bounded, see `docs/limits.md`) and the index is
in sync, the time ratio of the larger file to the smaller (linear: about the scale), then how
long that work's detail, availability and web page take to answer (in-process test client).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEMPLATE = ROOT / "samples" / "exchange" / "template.jsonl"


def generate(path: Path, count: int) -> None:
    """Write count copies of the template's record with an identifier, keys of their own."""
    lines = TEMPLATE.read_text("utf-8").splitlines()
    record = next(json.loads(line) for line in lines if '"identifiers"' in line)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({**record, "key": f"REPEAT-{n:08d}"}, ensure_ascii=False) + "\n")


def measure(folder: Path, count: int) -> float:
    """Import a generated file with indexing; print its figures and return its seconds."""
    from registry.context import Registry
    from registry.migrate import upgrade
    from registry.search import indexer, management
    from registry.services.imports import run_import

    path = folder / f"repeat-{count}.jsonl"
    generate(path, count)
    settings = Registry.from_settings(
        {"instance_path": folder, "database_url": f"sqlite:///{folder / f'{count}.db'}"}
    ).settings
    registry = Registry(replace(settings, index_prefix=f"bench-repeat-{count}-"))
    upgrade(registry)
    management.ensure_index(registry.search, registry.index_prefix)
    try:
        started = time.perf_counter()
        report = run_import(
            registry,
            path,
            "exchange-jsonl",
            agency="AR-INCAA",
            after_commit=lambda ids: indexer.index_after_commit(registry, ids),
        )
        seconds = time.perf_counter() - started
        status = indexer.status(registry)
        reads = read_times(registry)
        print(
            f"{count:>8} records {seconds:7.1f} s {count / seconds:7.0f} rows/s  works "
            f"{status.works}, documents {status.documents}, refused {status.refused}, in sync "
            f"{'yes' if status.in_sync else 'no'}; counts reconcile: {report.reconciles()}\n"
            f"{'':8}          reads of the work: {reads}",
            flush=True,
        )
        return seconds
    finally:
        alias = management.alias_name(registry.index_prefix)
        management.delete_indices(
            registry.search, management.current_indices(registry.search, alias)
        )
        registry.close()


def read_times(registry: object) -> str:
    """Time the one work's detail, availability and web page; return them as text."""
    from registry.app import create_app

    client = create_app(registry=registry).test_client()
    figures = []
    for name, url in (
        ("detail", "/api/v1/works/1"),
        ("availability", "/api/v1/works/1/availability?territory=UY&media=svod"),
        ("web page", "/works/1"),
    ):
        started = time.perf_counter()
        status = client.get(url).status_code
        figures.append(f"{name} {time.perf_counter() - started:.2f} s ({status})")
    return ", ".join(figures)


def main() -> None:
    """Parse the arguments and measure both sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=12_000)
    parser.add_argument("--scale", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="repeated-identifier-") as tmp:
        small = measure(Path(tmp), args.records)
        large = measure(Path(tmp), args.records * args.scale)
    print(f"time ratio {large / small:.1f} for {args.scale}x the records (linear: ~{args.scale})")


if __name__ == "__main__":
    main()
