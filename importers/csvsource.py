"""Stream delimited text files with detected encoding, line numbers and raw text per row."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from importers.base import UnreadableFile

CHUNK = 1 << 20
MAX_FIELD = 1 << 20
_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class CsvRow:
    """One logical CSV row: its first line number, the raw text and the parsed cells."""

    line: int
    raw: str
    cells: list[str]
    error: str | None = None


def detect_encoding(path: Path) -> str:
    """Return utf-8-sig or utf-8 when the whole file decodes strictly, else cp1252 or latin-1."""
    with path.open("rb") as handle:
        head = handle.read(len(_BOM))
        handle.seek(0)
        if _decodes(handle, "utf-8"):
            return "utf-8-sig" if head == _BOM else "utf-8"
        handle.seek(0)
        return "cp1252" if _decodes(handle, "cp1252") else "latin-1"


def _decodes(handle, encoding: str) -> bool:  # noqa: ANN001
    """Tell whether the stream decodes without error, reading it in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        while chunk := handle.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def read_head_text(head: bytes) -> str:
    """Decode the first bytes of a file for sniffing, whatever its encoding."""
    head = head.removeprefix(_BOM)
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:
            return head[: exc.start].decode("utf-8")
        return head.decode("cp1252", errors="replace")


def header_of(head: bytes, delimiter: str) -> list[str]:
    """Return the header cells from the first line of a sniffed file."""
    lines = read_head_text(head).splitlines()
    first = lines[0] if lines else ""
    return [cell.strip().strip('"') for cell in first.split(delimiter)]


def iter_rows(
    path: Path, delimiter: str, expected_header: list[str] | None = None
) -> Iterator[CsvRow]:
    """Yield the data rows of a delimited file, after checking its header."""
    encoding = detect_encoding(path)
    with path.open("r", encoding=encoding, newline="") as handle:
        tracker = _LineTracker(handle)
        reader = csv.reader(tracker, delimiter=delimiter, quotechar='"', strict=False)
        csv.field_size_limit(MAX_FIELD)
        try:
            header = next(reader)
        except StopIteration as exc:
            raise UnreadableFile(f"{path.name}: no header row") from exc
        except csv.Error as exc:
            raise UnreadableFile(f"{path.name}: unreadable header: {exc}") from exc
        tracker.take()
        header = [h.strip() for h in header]
        if expected_header is not None and header != expected_header:
            missing = [h for h in expected_header if h not in header]
            raise UnreadableFile(
                f"{path.name}: header does not match; missing columns: {', '.join(missing) or '-'}"
            )
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line, raw = tracker.take()
                yield CsvRow(line, raw, [], f"unreadable CSV row: {exc}")
                continue
            line, raw = tracker.take()
            if not any(cell.strip() for cell in cells):
                continue
            yield CsvRow(line, raw, cells)


class _LineTracker:
    """Feed lines to csv.reader while remembering which lines each row used."""

    def __init__(self, handle) -> None:  # noqa: ANN001
        self._handle = handle
        self._next_line = 1
        self._pending: list[str] = []
        self._start = 1

    def __iter__(self) -> _LineTracker:
        return self

    def __next__(self) -> str:
        line = self._handle.readline(MAX_FIELD * 4)
        if not line:
            raise StopIteration
        if not self._pending:
            self._start = self._next_line
        self._pending.append(line)
        self._next_line += 1
        return line

    def take(self) -> tuple[int, str]:
        """Return the first line number and raw text of the row just read."""
        raw = "".join(self._pending).rstrip("\r\n")
        start = self._start
        self._pending = []
        return start, raw
