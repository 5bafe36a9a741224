"""Time importing ANCINE reference files into a fresh temporary SQLite database.

Usage: python bench/import_ancine.py [--all] [--tracemalloc] [--data DIR]
By default imports the 2023 CPB and CRT files (target: both under 10 s); --all imports the
six files in dependency order and checks that every report reconciles. No search indexing
happens. Prints wall and CPU time (CPU time shows the cost when other processes compete for
the machine), rows/s and the process's peak resident memory (getrusage) after each file;
--tracemalloc measures each file's peak Python allocations instead, at several times the
run time.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from registry.context import Registry  # noqa: E402
from registry.migrate import upgrade  # noqa: E402
from registry.services.imports import ACTIONS, run_import  # noqa: E402

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


def peak_rss_mib() -> float:
    """Return the process's peak resident set size in MiB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def import_one(registry: Registry, path: Path, format_name: str, trace: bool) -> bool:
    """Import one file, print its figures and tell whether its counts reconcile."""
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    report = run_import(registry, path, format_name)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if trace:
        memory = f"python peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB"
        tracemalloc.stop()
    else:
        memory = f"rss peak {peak_rss_mib():6.1f} MiB"
    counts = report.counts
    print(
        f"{format_name:17} {counts['read']:>6} rows {elapsed:7.2f} s (cpu {cpu:6.2f} s) "
        f"{counts['read'] / elapsed:6.0f} rows/s  {memory}  "
        + " ".join(f"{name} {counts[name]}" for name in ACTIONS)
        + ("" if report.reconciles() else "  DOES NOT RECONCILE"),
        flush=True,
    )
    return report.reconciles()


def bench(data_dir: Path, files: tuple[tuple[str, str], ...], trace: bool) -> bool:
    """Import the files in order into a new database; tell whether all reports reconcile."""
    started, cpu_started = time.perf_counter(), time.process_time()
    reconciled = True
    with tempfile.TemporaryDirectory() as tmp:
        registry = Registry.from_settings(
            {"instance_path": Path(tmp), "database_url": f"sqlite:///{Path(tmp) / 'bench.db'}"}
        )
        upgrade(registry)
        try:
            for file_name, format_name in files:
                reconciled &= import_one(registry, data_dir / file_name, format_name, trace)
        finally:
            registry.close()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"total {elapsed:.2f} s, cpu {cpu:.2f} s (including the migration)")
    return reconciled


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="import all six reference files")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the files")
    args = parser.parse_args()
    files = ALL_FILES if args.all else BENCH_FILES
    if not bench(args.data, files, args.tracemalloc):
        sys.exit(1)


if __name__ == "__main__":
    main()
