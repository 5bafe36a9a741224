"""Time importing the ANCINE reference files, against a physical-limit baseline in the same run.

Usage: python bench/import_ancine.py [--all] [--data DIR] [--database-url URL] [--batch-size N]
       [--workers N]

By default imports the 2023 CPB and CRT files; --all imports the six families (CPB, ROE,
countries, directors, CRT, releases) in dependency order. Each file goes through the real
import (run_import: validation, placement, provenance, outbox; no search indexing) into a
fresh database, SQLite in a temporary folder unless --database-url names another one (a
PostgreSQL database is emptied first and after). Then, in the same run and into a fresh
database of the same schema, the baseline: the same files parsed by the same importers and
their rows (work, source record, titles, identifiers, countries, parties, facts, outbox)
written with plain DBAPI executemany, with no validation, lookups or merging. Our time is
printed as a ratio of the baseline's. Also printed: the parse-only time, CPU time (which
shows the cost when other processes compete for the machine; the reading process's CPU
included when a file was parsed and validated beside the writer) and the peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.import_baseline import BaselineWriter  # noqa: E402
from importers.registry import get_importer  # noqa: E402
from registry.context import Registry  # noqa: E402
from registry.migrate import upgrade  # noqa: E402
from registry.services.import_reader import PARALLEL_MIN_BYTES  # noqa: E402
from registry.services.imports import ACTIONS, run_import  # noqa: E402

DEFAULT_DATA = ROOT / "samples" / "ancine"
ALL_FILES = (
    ("obras-nao-pub-brasileiras-2023.csv", "ancine-cpb"),
    ("obras-nao-pub-estrangeiras-2023.csv", "ancine-roe"),
    ("paises-de-origem-das-obras-nao-publicitarias-brasileiras.csv", "ancine-countries"),
    ("diretores-de-obras-nao-publicitarias-estrangeiras.csv", "ancine-directors"),
    ("crt-obras-nao-publicitarias-2023.csv", "ancine-crt"),
    ("lancamentos-comerciais-por-distribuidoras.csv", "ancine-releases"),
)
BENCH_FILES = (ALL_FILES[0], ALL_FILES[4])
TARGETS = {"sqlite": 20_000, "postgresql": 10_000}
WHOLE_SET_TARGET_S = 10.0
# family, rows, wall, cpu (writer + reader), reader cpu, base wall, base cpu, parse wall
Row = tuple[str, int, float, float, float, float, float, float]


def peak_rss_mib() -> float:
    """Return the process's peak resident set size in MiB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def fresh_registry(
    folder: Path,
    database_url: str | None,
    name: str,
    batch_size: int | None = None,
    workers: int | None = None,
) -> Registry:
    """Return a registry on an empty, migrated database."""
    url = database_url or f"sqlite:///{folder / f'{name}.db'}"
    overrides: dict[str, object] = {"instance_path": folder, "database_url": url}
    if batch_size:
        overrides["import_batch_size"] = batch_size
    if workers is not None:
        overrides["import_workers"] = workers
    registry = Registry.from_settings(overrides)
    if registry.engine.dialect.name != "sqlite":
        empty(registry)
    upgrade(registry)
    return registry


def empty(registry: Registry) -> None:
    """Drop every table of a server database (the benchmark's own)."""
    from registry.models import Base

    Base.metadata.drop_all(registry.engine)
    with registry.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """Run action; return (wall seconds, CPU seconds, its result)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - started, time.process_time() - cpu_started, result


def warm_up(path: Path, format_name: str) -> None:
    """Load the vocabularies and lazy modules an import uses, outside the timings."""
    from itertools import islice

    from schemas.fast import try_load_aggregate

    for record in islice(get_importer(format_name)().records(path), 200):
        if record.data:
            try_load_aggregate(record.data)


def parse_only(path: Path, format_name: str) -> int:
    """Read every record of a file with its importer and return how many there were."""
    return sum(1 for _ in get_importer(format_name)().records(path))


def bench(data_dir: Path, files: tuple[tuple[str, str], ...], database_url: str | None,
          batch_size: int | None, workers: int | None) -> bool:  # fmt: skip
    """Import the files, then write the baseline; print the figures; tell whether all reconcile."""
    reconciled = True
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        ours = fresh_registry(Path(tmp), database_url, "ours", batch_size, workers)
        dialect = ours.engine.dialect.name
        settings = ours.settings
        print(
            f"database: {dialect}; batch size {settings.import_batch_size}; import workers "
            f"{settings.import_workers} (files of {PARALLEL_MIN_BYTES >> 20} MiB or more); "
            f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}",
            flush=True,
        )
        results = []
        warm_up(data_dir / files[0][0], files[0][1])
        try:
            for file_name, format_name in files:
                path = data_dir / file_name
                wall, cpu, report = timed(lambda p=path, f=format_name: run_import(ours, p, f))
                counts = report.counts
                reader = report.reader_cpu_seconds
                cpu += reader
                reconciled &= report.reconciles()
                results.append((format_name, path, wall, cpu, reader, counts["read"]))
                print(
                    f"  ours      {format_name:17} {counts['read']:>6} rows {wall:7.2f} s "
                    f"(cpu {cpu:6.2f}, reader {reader:5.2f}) {counts['read'] / wall:8.0f} rows/s  "
                    + " ".join(f"{name} {counts[name]}" for name in ACTIONS)
                    + ("" if report.reconciles() else "  DOES NOT RECONCILE"),
                    flush=True,
                )
        finally:
            if dialect != "sqlite":
                empty(ours)
            ours.close()
        base = fresh_registry(Path(tmp), database_url, "baseline")
        try:
            writer = BaselineWriter(base.engine)
            for format_name, path, wall, cpu, reader, read in results:
                base_wall, base_cpu, _ = timed(lambda p=path, f=format_name: writer.write(p, f))
                parse_wall, _, _ = timed(lambda p=path, f=format_name: parse_only(p, f))
                rows.append((format_name, read, wall, cpu, reader, base_wall, base_cpu, parse_wall))
        finally:
            if dialect != "sqlite":
                empty(base)
            base.close()
    print_table(rows, dialect)
    return reconciled


def print_table(rows: list[Row], dialect: str) -> None:
    """Print rows/s per family (wall and CPU), the ratio to the baseline and the targets.

    cpu s is the writing process's CPU plus the reading process's (reader s) when the file
    was parsed and validated in one; cpu r/s is rows per second of that sum.
    """
    target = TARGETS.get(dialect, TARGETS["postgresql"])
    print(
        f"\n{'family':17} {'rows':>7} {'ours s':>7} {'cpu s':>6} {'reader':>6} {'rows/s':>7} "
        f"{'cpu r/s':>7} {'base s':>6} {'cpu s':>6} {'parse s':>7} {'ours/base':>9} {'cpu':>6}  "
        f"target {target} rows/s"
    )
    for name, read, wall, cpu, reader, base, base_cpu, parse in rows:
        verdict = "PASS" if read / wall >= target else "FAIL"
        print(
            f"{name:17} {read:>7} {wall:7.2f} {cpu:6.2f} {reader:6.2f} {read / wall:7.0f} "
            f"{read / cpu:7.0f} {base:6.2f} {base_cpu:6.2f} {parse:7.2f} {wall / base:8.2f}x "
            f"{cpu / base_cpu:5.2f}x  {verdict}"
        )
    total_rows = sum(r[1] for r in rows)
    total, cpu, reader = sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows)
    base, base_cpu = sum(r[5] for r in rows), sum(r[6] for r in rows)
    print(
        f"{'total':17} {total_rows:>7} {total:7.2f} {cpu:6.2f} {reader:6.2f} "
        f"{total_rows / total:7.0f} {total_rows / cpu:7.0f} {base:6.2f} {base_cpu:6.2f} "
        f"{sum(r[7] for r in rows):7.2f} {total / base:8.2f}x {cpu / base_cpu:5.2f}x"
    )
    if len(rows) == len(ALL_FILES) and dialect == "sqlite":
        verdict = "PASS" if total <= WHOLE_SET_TARGET_S else "FAIL"
        limit = f"target <= {WHOLE_SET_TARGET_S:.0f} s"
        print(f"whole reference set {total:.2f} s ({limit}): {verdict}")
    print_ceiling(rows, target)
    print(f"peak rss {peak_rss_mib():.1f} MiB")


def print_ceiling(rows: list[Row], target: int) -> None:
    """Print the baseline's own rates against the target.

    base r/s is the baseline's rows/s (parse and plain executemany in one process); writes r/s
    leaves its parse out (base s - parse s): building the rows and inserting them, with no
    validation, lookups or merging. A family whose writes r/s is under the target cannot meet
    it by any spreading of the reading over processes, only by writing less.
    """
    header = f"{'baseline':17} {'rows':>7} {'base r/s':>8} {'writes r/s':>10}"
    print(f"\n{header}  target {target} rows/s")
    for name, read, _, _, _, base, _, parse in rows:
        writes = read / max(base - parse, 1e-9)
        verdict = "over" if writes >= target else "under"
        print(f"{name:17} {read:>7} {read / base:8.0f} {writes:10.0f}  {verdict} the target")
    base = sum(r[5] for r in rows)
    writes = base - sum(r[7] for r in rows)
    print(f"{'total':17} {sum(r[1] for r in rows):>7} {base:7.2f}s {writes:9.2f}s")


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="import all six reference files")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the files")
    parser.add_argument("--database-url", help="a database to use instead of SQLite (emptied)")
    parser.add_argument("--batch-size", type=int, help="records per chunk transaction")
    parser.add_argument("--workers", type=int, help="import_workers (0: one process)")
    args = parser.parse_args()
    files = ALL_FILES if args.all else BENCH_FILES
    if not bench(args.data, files, args.database_url, args.batch_size, args.workers):
        sys.exit(1)


if __name__ == "__main__":
    main()
