"""Keep an import's rejections out of memory: JSON lines in a temporary file, read back in order.

The rejections are stored in the database too (the rejection table); the spool serves the
batch report of the same run, including a dry run whose transaction was rolled back. The
first MiB stays in memory, the rest goes to disk, so a file with millions of refused records
imports in flat memory.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import IO, Any

import orjson

IN_MEMORY_BYTES = 1 << 20


class RejectionSpool:
    """An append-only sequence of rejection dicts spooled to a temporary file."""

    def __init__(self, items: list[dict[str, Any]] | None = None) -> None:
        self._file: IO[bytes] | None = None
        self._count = 0
        for item in items or []:
            self.append(item)

    def append(self, item: dict[str, Any]) -> None:
        """Add one rejection at the end."""
        if self._file is None:
            self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
        self._file.seek(0, 2)
        self._file.write(orjson.dumps(item, default=str) + b"\n")
        self._count += 1

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Yield the rejections in the order they were added."""
        if self._file is None:
            return
        self._file.seek(0)
        position = 0
        for _ in range(self._count):
            self._file.seek(position)
            line = self._file.readline()
            position = self._file.tell()
            yield orjson.loads(line)

    def __len__(self) -> int:
        """Return how many rejections were added."""
        return self._count

    def __bool__(self) -> bool:
        """Tell whether any rejection was added."""
        return self._count > 0

    def __getitem__(self, index: int) -> dict[str, Any]:
        """Return one rejection by position (reads the spool up to it)."""
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        for position, item in enumerate(self):
            if position == index:
                return item
        raise IndexError(index)

    def __eq__(self, other: object) -> bool:
        """Compare with another spool or a list, item by item."""
        if isinstance(other, RejectionSpool | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def write_json_array(self, out: IO[str], indent: str = "") -> None:
        """Write the rejections as a JSON array, one at a time."""
        out.write("[")
        for position, item in enumerate(self):
            text = json.dumps(item, ensure_ascii=False, default=str)
            out.write(("," if position else "") + "\n" + indent + "  " + text)
        out.write(("\n" + indent if self._count else "") + "]")

    def close(self) -> None:
        """Release the temporary file."""
        if self._file is not None:
            self._file.close()
            self._file = None
            self._count = 0


def write_report_json(report: Any, out: IO[str], indent: str = "") -> None:
    """Write a batch report as a JSON object, streaming its rejections."""
    head = {k: v for k, v in report.to_dict(rejections=False).items() if k != "rejections"}
    out.write("{")
    for name, value in head.items():
        text = json.dumps(value, ensure_ascii=False, default=str)
        out.write(f"\n{indent}  {json.dumps(name)}: {text},")
    out.write(f'\n{indent}  "rejections": ')
    report.rejections.write_json_array(out, indent + "  ")
    out.write(f"\n{indent}}}")


def write_reports_json(reports: list[Any], out: IO[str]) -> None:
    """Write one report as an object, several as an array, streaming rejections."""
    if len(reports) == 1:
        write_report_json(reports[0], out)
        return
    out.write("[")
    for position, report in enumerate(reports):
        out.write(("," if position else "") + "\n  ")
        write_report_json(report, out, "  ")
    out.write("\n]")
