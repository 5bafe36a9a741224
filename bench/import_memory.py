"""Show that an import's memory stays flat in the file's size: peak RSS of large generated files.

Usage: python bench/import_memory.py [--size-jsonl 2GB] [--size-csv 1GB] [--size 50MB]

Generates, streamed into a temporary folder (deleted afterwards), an exchange JSONL file and an
ANCINE-shaped CSV (the CPB list's columns) of the given sizes, built from the bundled samples
with unique keys, and a tenth of their records refused (so the report's rejections grow with
the file too). Each file is imported into a fresh SQLite database in a child process that
prints its own peak resident set size (getrusage) and that of the process which parsed and
validated the file beside it (import_workers); the target is under 300 MiB each for a 2 GB
JSONL and a 1 GB CSV. --size sets both sizes at once for a quicker run.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MIB = 300
JSONL_SAMPLE = ROOT / "samples" / "exchange" / "template.jsonl"
CSV_SAMPLE = ROOT / "samples" / "ancine" / "obras-nao-pub-brasileiras-2023.csv"
UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20}


def parse_size(text: str) -> int:
    """Parse sizes such as 2GB, 50MB or 1000000."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if not match or match.group(2).upper() not in UNITS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 2GB or 50MB")
    return int(float(match.group(1)) * UNITS[match.group(2).upper()])


def generate_jsonl(path: Path, size: int) -> int:
    """Write exchange records with unique keys until the file reaches size; return the count."""
    templates = [json.loads(line) for line in JSONL_SAMPLE.read_text("utf-8").splitlines()]
    written = count = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            envelope = dict(templates[count % len(templates)])
            envelope["key"] = f"MEM-{count:010d}"
            work = envelope["work"]
            if work.get("identifiers"):  # each record its own work, as in a real catalogue
                ids = [{**i, "value": f"{i['value']}-{count:010d}"} for i in work["identifiers"]]
                envelope["work"] = work = {**work, "identifiers": ids}
            if count % 10 == 9:
                envelope["work"] = {**envelope["work"], "year": 1000}  # refused: out of range
            line = json.dumps(envelope, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            count += 1
    return count


def generate_csv(path: Path, size: int) -> int:
    """Write CPB-list rows with unique CPB numbers until the file reaches size."""
    lines = CSV_SAMPLE.read_text("utf-8").splitlines()
    header, rows = lines[0], [line.split(";") for line in lines[1:] if line]
    cpb = header.split(";").index("CPB")
    written = count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        while written < size:
            row = list(rows[count % len(rows)])
            row[cpb] = f"B{count:013d}" if count % 10 != 9 else "NOT-A-CPB"
            line = ";".join(row) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            count += 1
    return count


def child(path: Path, format_name: str, database: Path) -> None:
    """Import one file (in this child process) and print counts, time and peak RSS as JSON."""
    from registry.context import Registry
    from registry.migrate import upgrade
    from registry.services.imports import run_import

    registry = Registry.from_settings(
        {"instance_path": database.parent, "database_url": f"sqlite:///{database}"}
    )
    upgrade(registry)
    started = time.perf_counter()
    report = run_import(registry, path, format_name)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "counts": report.counts,
                "rejections": len(report.rejections),
                "seconds": elapsed,
                "peak_rss_mib": peak,
                "reader_peak_rss_mib": report.reader_peak_rss_mib,
            }
        )
    )


def measure(path: Path, format_name: str, records: int, folder: Path) -> bool:
    """Import a generated file in a child process; print its figures; tell whether RSS passed."""
    database = folder / f"{format_name}.db"
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path), format_name, str(database)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"{format_name}: the import failed\n{result.stderr[-2000:]}")
        return False
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    counts, peak = figures["counts"], figures["peak_rss_mib"]
    reader = figures["reader_peak_rss_mib"]
    verdict = "PASS" if max(peak, reader) < TARGET_MIB else "FAIL"
    print(
        f"{format_name:14} {path.stat().st_size / 2**20:9.1f} MiB {records:>9} records "
        f"{figures['seconds']:8.1f} s  {counts['read'] / figures['seconds']:7.0f} rows/s  "
        f"created {counts['created']} rejected {counts['rejected']} "
        f"(report holds {figures['rejections']})  peak RSS {peak:6.1f} MiB, reading process "
        f"{reader:6.1f} MiB (target < {TARGET_MIB} each): {verdict}",
        flush=True,
    )
    database.unlink(missing_ok=True)
    return verdict == "PASS"


def main() -> None:
    """Parse the arguments, generate the files and measure each import."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-jsonl", type=parse_size, default=parse_size("2GB"))
    parser.add_argument("--size-csv", type=parse_size, default=parse_size("1GB"))
    parser.add_argument("--size", type=parse_size, help="use this size for both files")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, format_name, database = args.child
        child(Path(path), format_name, Path(database))
        return
    jsonl_size = args.size or args.size_jsonl
    csv_size = args.size or args.size_csv
    passed = True
    with tempfile.TemporaryDirectory(prefix="import-memory-") as tmp:
        folder = Path(tmp)
        for name, size, generate, format_name in (
            ("big.jsonl", jsonl_size, generate_jsonl, "exchange-jsonl"),
            ("big.csv", csv_size, generate_csv, "ancine-cpb"),
        ):
            path = folder / name
            records = generate(path, size)
            passed &= measure(path, format_name, records, folder)
            path.unlink()
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
