"""Importer of the exchange CSV template: one work per key, following rows add items."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from importers.base import Importer, ParsedRecord, UnreadableFile
from importers.csvsource import header_of, iter_rows
from importers.exchange.cells import restore_formula
from importers.exchange.columns import KEY, check_header, looks_like_template
from importers.exchange.rows import TemplateRow, locator_of, record_from_rows
from importers.registry import SNIFF_BYTES, register

DELIMITERS = (",", ";", "\t")


@register
class ExchangeCsvImporter(Importer):
    """Read the registry's CSV template, written by agencies or by `registry export`."""

    name = "exchange-csv"
    agency = "ZZ-EXCHANGE"
    description = "Registry exchange CSV template (one work per key; following rows add items)"

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Recognise the template from its header row, whatever its delimiter."""
        return _delimiter_of(head) is not None

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield one record per work, grouping consecutive rows that share a key."""
        delimiter, header = _read_header(path)
        key_index = header.index(KEY)
        first_line_of: dict[str, int] = {}
        pending: list[TemplateRow] = []
        broken: list[str] = []
        for row in iter_rows(path, delimiter, expected_header=header):
            cells = [restore_formula(cell) for cell in row.cells]
            key = cells[key_index].strip() if key_index < len(cells) else ""
            if pending and not (key and key == pending[0].get(KEY)):
                yield _finish(pending, broken, first_line_of)
                pending, broken = [], []
            if row.error or len(row.cells) != len(header):
                reason = (
                    row.error or f"the row has {len(row.cells)} cells, the header {len(header)}"
                )
                broken.append(f"line {row.line}: {reason}")
                pending.append(TemplateRow(row.line, row.raw, {KEY: key}))
                continue
            pending.append(TemplateRow(row.line, row.raw, dict(zip(header, cells, strict=True))))
        if pending:
            yield _finish(pending, broken, first_line_of)


def _delimiter_of(head: bytes) -> str | None:
    """Return the delimiter that splits the first line into the template's header, if any."""
    return next((d for d in DELIMITERS if looks_like_template(header_of(head, d))), None)


def _read_header(path: Path) -> tuple[str, list[str]]:
    """Return the delimiter and the header cells after checking them against the template."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    delimiter = _delimiter_of(head)
    if delimiter is None:
        with_key = [d for d in DELIMITERS if KEY in header_of(head, d)]
        delimiter = with_key[0] if with_key else DELIMITERS[0]
    header = header_of(head, delimiter)
    problems = check_header(header)
    if problems:
        raise UnreadableFile(f"{path.name}: not the exchange CSV template: {'; '.join(problems)}")
    return delimiter, header


def _finish(
    rows: list[TemplateRow], broken: list[str], first_line_of: dict[str, int]
) -> ParsedRecord:
    """Build the record of a run of rows, refusing keys already used earlier in the file."""
    key = rows[0].get(KEY)
    record = ParsedRecord(locator_of(rows), "\n".join(r.raw for r in rows), key or None)
    for reason in broken:
        record.reject("_row", reason)
    if not key:
        return record.reject(KEY, f"line {rows[0].line}: every row needs a key")
    if key in first_line_of:
        return record.reject(
            KEY,
            f"key {key!r} already names the work at line "
            f"{first_line_of[key]}; the rows of one work must be consecutive",
        )
    first_line_of[key] = rows[0].line
    return record if broken else record_from_rows(rows)
