"""Time importing ANCINE reference files into a fresh temporary SQLite database.

Usage: python bench/import_ancine.py [--all] [--data DIR]
By default imports the 2023 CPB and CRT files (target: both under 10 s); --all imports the
six files in dependency order. No search indexing happens. Prints rows/s and peak Python
memory (tracemalloc) per file, then the total time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from registry.context import Registry  # noqa: E402
from registry.migrate import upgrade  # noqa: E402
from registry.services.imports import run_import  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ancine"
BENCH_FILES = (
    ("obras-nao-pub-brasileiras-2023.csv", "ancine-cpb"),
    ("crt-obras-nao-publicitarias-2023.csv", "ancine-crt"),
)
ALL_FILES = (
    ("obras-nao-pub-brasileiras-2023.csv", "ancine-cpb"),
    ("obras-nao-pub-estrangeiras-2023.csv", "ancine-roe"),
    ("paises-de-origem-das-obras-nao-publicitarias-brasileiras.csv", "ancine-countries"),
    ("diretores-de-obras-nao-publicitarias-estrangeiras.csv", "ancine-directors"),
    ("crt-obras-nao-publicitarias-2023.csv", "ancine-crt"),
    ("lancamentos-comerciais-por-distribuidoras.csv", "ancine-releases"),
)


def bench(data_dir: Path, files: tuple[tuple[str, str], ...]) -> float:
    """Import the files in order into a new database and print one line per file."""
    with tempfile.TemporaryDirectory() as tmp:
        registry = Registry.from_settings(
            {"instance_path": Path(tmp), "database_url": f"sqlite:///{Path(tmp) / 'bench.db'}"}
        )
        upgrade(registry)
        total = 0.0
        try:
            for file_name, format_name in files:
                tracemalloc.start()
                started = time.perf_counter()
                report = run_import(registry, data_dir / file_name, format_name)
                elapsed = time.perf_counter() - started
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                total += elapsed
                counts = report.counts
                print(
                    f"{format_name:18} {counts['read']:>7} rows {elapsed:7.2f} s "
                    f"{counts['read'] / elapsed:8.0f} rows/s  peak {peak / 2**20:6.1f} MiB  "
                    f"created {counts['created']} updated {counts['updated']} "
                    f"unchanged {counts['unchanged']} rejected {counts['rejected']}"
                )
        finally:
            registry.close()
    print(f"total {total:.2f} s")
    return total


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="import all six reference files")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the files")
    args = parser.parse_args()
    bench(args.data, ALL_FILES if args.all else BENCH_FILES)


if __name__ == "__main__":
    main()
