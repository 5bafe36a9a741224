"""Importer of exchange JSON Lines: one source's statement about one work per line."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from importers.base import Importer, ParsedRecord, UnreadableFile
from importers.exchange.envelope import FORMAT_FAMILY, parse_line
from importers.registry import register

MAX_LINE_BYTES = 16 * 1024 * 1024
RAW_PREVIEW = 2000
_SKIP_CHUNK = 1 << 20
_FORMAT_MARK = re.compile(rb'"format"\s*:\s*"' + re.escape(FORMAT_FAMILY.encode()))


@register
class ExchangeJsonlImporter(Importer):
    """Read exchange JSON Lines written by another registry or an agency."""

    name = "exchange-jsonl"
    agency = "ZZ-EXCHANGE"
    description = "Registry exchange JSON Lines (av-registry-exchange/1)"

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Recognise a file whose first non-empty line is an exchange object."""
        first = _first_line(head)
        if not first.startswith(b"{"):
            return False
        try:
            envelope = json.loads(first)
        except ValueError:
            return bool(_FORMAT_MARK.search(first))
        value = envelope.get("format") if isinstance(envelope, dict) else None
        return isinstance(value, str) and value.startswith(FORMAT_FAMILY)

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield one record per non-empty line, reading the file line by line."""
        with path.open("rb") as handle:
            started = False
            for number, chunk, too_long in _lines(handle):
                if not started:
                    chunk = chunk.removeprefix(codecs.BOM_UTF8)
                if not chunk.strip():
                    continue
                if not started and not chunk.lstrip().startswith(b"{"):
                    raise UnreadableFile(
                        f"{path.name}: line {number} is not a JSON object; "
                        "an exchange file has one JSON object per line"
                    )
                started = True
                yield _record(chunk, number, too_long)


def _first_line(head: bytes) -> bytes:
    """Return the first non-empty line of the sniffed bytes, stripped."""
    for line in head.removeprefix(codecs.BOM_UTF8).split(b"\n"):
        if line.strip():
            return line.strip()
    return b""


def _lines(handle: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    """Yield (line number, bytes, too long) triples; an over-long line comes back cut short."""
    number = 0
    while chunk := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, chunk[:RAW_PREVIEW], True
            continue
        yield number, chunk, False


def _record(chunk: bytes, number: int, too_long: bool) -> ParsedRecord:
    """Decode one line and parse it, refusing text that is not UTF-8 or too long."""
    if too_long:
        raw = chunk.decode("utf-8", errors="replace")
        return ParsedRecord(f"line {number}", raw).reject(
            "_line", f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB, the longest line this importer reads"
        )
    try:
        text = chunk.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raw = chunk[:RAW_PREVIEW].decode("utf-8", errors="replace").rstrip("\r\n")
        return ParsedRecord(f"line {number}", raw).reject(
            "_line", f"not UTF-8 text (byte {exc.start + 1}); exchange files are UTF-8"
        )
    return parse_line(text, number)
