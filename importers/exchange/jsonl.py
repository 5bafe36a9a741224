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
SNIFF_LINES = 20
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
        """Recognise JSON object lines, one of the first of which is an exchange line."""
        lines = [line.strip() for line in head.removeprefix(codecs.BOM_UTF8).split(b"\n")]
        lines = [line for line in lines if line][:SNIFF_LINES]
        if not lines or not all(line.startswith(b"{") for line in lines):
            return False
        return any(_is_exchange_line(line) for line in lines)

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


def _is_exchange_line(line: bytes) -> bool:
    """Tell whether a line (possibly cut short) is an object of the exchange format."""
    try:
        envelope = json.loads(line)
    except (ValueError, RecursionError):
        return bool(_FORMAT_MARK.search(line))
    value = envelope.get("format") if isinstance(envelope, dict) else None
    return isinstance(value, str) and value.startswith(FORMAT_FAMILY)


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
            "_line",
            f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB, the most one line may hold",
        )
    try:
        text = chunk.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raw = chunk[:RAW_PREVIEW].decode("utf-8", errors="replace").rstrip("\r\n")
        return ParsedRecord(f"line {number}", raw).reject(
            "_line", f"not UTF-8 text (byte {exc.start + 1}); exchange files are UTF-8"
        )
    return parse_line(text, number)
