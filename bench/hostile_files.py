"""Show what hostile files cost to read: peak memory and time of the importers on each.

Usage: python bench/hostile_files.py [--rows 20000] [--skipped 200000]

Generates, in a temporary folder (deleted afterwards):

* skipped.xml: an Avails-like list whose records sit between two large elements nobody asked
  for (the streamer empties them as they end);
* wide.xlsx: the bundled Movies Avails spreadsheet declaring all 16,384 columns, with one far
  cell --rows rows down (rows are read at most 1,024 columns wide);
* hostile.jsonl: exchange lines with a 40,000-character title, free-form objects nested 500
  and 100,000 levels deep and a 5,000-digit number, beside good lines (each is rejected with
  its reason).

Each is read in a child process that prints its records, seconds and peak resident set size.
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
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MOVIES = ROOT / "tests" / "data" / "avails" / "Movies_v1.9_cut.xlsx"


def write_skipped(path: Path, skipped: int) -> None:
    """Write a list with large skipped elements before and after its records."""
    noise = "<x><y>0123456789</y></x>"
    with path.open("w", encoding="utf-8") as out:
        out.write(f"<list><inventory>{noise * skipped}</inventory><metadata>")
        out.writelines(f"<item><v>{n}</v></item>" for n in range(2000))
        out.write(f"</metadata><tail>{noise * skipped}</tail></list>")


def write_wide(path: Path, rows: int) -> None:
    """Copy the Movies spreadsheet declaring every column, with one far cell rows down."""
    with zipfile.ZipFile(MOVIES) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    far = f'<row r="{rows}"><c r="XFD{rows}" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = re.sub(r"<dimension [^>]*>", f'<dimension ref="A1:XFD{rows}"/>', sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", far + "</sheetData>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def write_hostile(path: Path) -> None:
    """Write exchange lines that each break one limit, between good ones."""
    envelope = '{{"format": "av-registry-exchange/1", "key": "{key}", "work": {work}}}\n'
    good = json.dumps({"titles": [{"text": "Relatos salvajes"}]})
    works = [
        json.dumps({"titles": [{"text": "T" * 40_000}]}),
        '{"titles": [{"text": "x"}], "attributes": ' + '{"a": ' * 500 + "1" + "}" * 501,
        '{"attributes": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"titles": [{"text": "x"}], "year": ' + "9" * 5000 + "}",
    ]
    with path.open("w", encoding="utf-8") as out:
        for n, work in enumerate(works):
            out.write(envelope.format(key=f"good-{n}", work=good))
            out.write(envelope.format(key=f"bad-{n}", work=work))


def _loads(data: dict | None) -> bool:
    """Tell whether a record's aggregate passes the shared schema (as the pipeline checks)."""
    from marshmallow import ValidationError

    from schemas.aggregate import WORK_AGGREGATE

    try:
        WORK_AGGREGATE.load(data or {})
    except ValidationError:
        return False
    return True


def child(kind: str, path: Path) -> None:
    """Read one file and print what it cost."""
    from importers.base import UnreadableFile
    from importers.registry import get_importer
    from importers.xmlsafe import iter_elements

    start = time.perf_counter()
    try:
        if kind == "xml":
            outcome = f"{sum(1 for _ in iter_elements(path, 'item'))} records"
        else:
            records = list(get_importer(kind)().records(path))
            refused = sum(1 for record in records if record.errors or not _loads(record.data))
            outcome = f"{len(records)} records, {refused} refused"
    except UnreadableFile as exc:
        outcome = f"refused: {exc}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{path.name:14} {outcome:40} {time.perf_counter() - start:6.1f} s  {peak:5d} MiB peak")


def main() -> None:
    """Generate the files and read each in a child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="row of the far cell")
    parser.add_argument("--skipped", type=int, default=200_000, help="skipped elements per side")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as folder:
        cases = [
            ("xml", Path(folder) / "skipped.xml", lambda p: write_skipped(p, args.skipped)),
            ("avails-xlsx", Path(folder) / "wide.xlsx", lambda p: write_wide(p, args.rows)),
            ("exchange-jsonl", Path(folder) / "hostile.jsonl", write_hostile),
        ]
        for kind, path, write in cases:
            write(path)
            command = [sys.executable, __file__, "--child", kind, str(path)]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
