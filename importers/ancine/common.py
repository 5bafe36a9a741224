"""Shared reading of ANCINE open-data CSV files: header sniffing, row checks, typed cells."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from importers.ancine.text import remembered
from importers.base import Importer, ParsedRecord
from importers.csvsource import CsvRow, header_of, iter_rows
from schemas.fields import MAX_KEY_LENGTH
from schemas.identifiers import normalize_identifier
from schemas.parsing import parse_date, parse_decimal, parse_duration_minutes, parse_int, parse_year

AGENCY = "BR-ANCINE"
DELIMITER = ";"
PLACEHOLDER_ROE = "E1300000100000"
SCHEME_BY_PREFIX = {"B": "br_cpb", "E": "br_roe"}

T = TypeVar("T")
_iso_date = remembered(lambda text: parse_date(text).isoformat())


class _IdentifierParsers(dict):
    """One remembering normaliser per identifier scheme, made on first use."""

    def __missing__(self, scheme: str) -> Callable[[str], str]:
        parser = self[scheme] = remembered(lambda text: normalize_identifier(scheme, text))
        return parser


_IDENTIFIER_PARSERS = _IdentifierParsers()


class RowFields:
    """The cells of one row by column name, with per-column parse errors collected."""

    def __init__(self, header: tuple[str, ...], cells: list[str]) -> None:
        self.values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        self.errors: dict[str, list[str]] = {}

    def text(self, column: str) -> str | None:
        """Return the stripped cell, or None when it is empty."""
        return self.values.get(column) or None

    def error(self, column: str, message: str) -> None:
        """Record a reason to refuse the row under a column name."""
        self.errors.setdefault(column, []).append(message)

    def parse(self, column: str, parser: Callable[[str], T]) -> T | None:
        """Return the parsed cell, None when empty; record the parser's complaint."""
        value = self.text(column)
        if value is None:
            return None
        try:
            return parser(value)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def date(self, column: str) -> str | None:
        """Return a dd/mm/yyyy cell as an ISO date string."""
        return self.parse(column, _iso_date)

    def year(self, column: str) -> int | None:
        """Return a four-digit year cell."""
        return self.parse(column, parse_year)

    def integer(self, column: str) -> int | None:
        """Return a whole-number cell."""
        return self.parse(column, parse_int)

    def minutes(self, column: str) -> float | None:
        """Return a duration in minutes written with a decimal comma (4,3)."""
        return self.parse(column, parse_duration_minutes)

    def decimal(self, column: str) -> str | None:
        """Return an amount such as 'R$ 107.941,79' as a plain decimal string."""
        parsed = self.parse(column, lambda text: parse_decimal(text, decimal_separator=","))
        return str(parsed) if parsed is not None else None

    def identifier(self, column: str, scheme: str) -> str | None:
        """Return the cell in the canonical form of an identifier scheme."""
        value = self.text(column)
        if value is None:
            self.error(column, f"missing: expected a {scheme} identifier")
            return None
        return self.parse(column, _IDENTIFIER_PARSERS[scheme])

    def work_identifier(self, column: str) -> dict[str, str] | None:
        """Return a CPB_ROE cell as a br_cpb or br_roe identifier by its first letter."""
        value = (self.text(column) or "").upper()
        scheme = SCHEME_BY_PREFIX.get(value[:1])
        if scheme is None:
            self.error(column, f"{value!r} is neither a CPB (B...) nor a ROE (E...)")
            return None
        normalized = self.identifier(column, scheme)
        return {"scheme": scheme, "value": normalized} if normalized else None

    def attributes(self, columns: tuple[str, ...]) -> dict[str, Any]:
        """Return the non-empty cells of columns keyed by lower-case column name."""
        return {name.lower(): self.values[name] for name in columns if self.values.get(name)}


class AncineCsvImporter(Importer):
    """Base of the ANCINE importers: sniff by header row, check every row's shape."""

    agency: ClassVar[str] = AGENCY
    header: ClassVar[tuple[str, ...]] = ()
    authoritative: ClassVar[bool] = True

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Recognise the file by its exact header row, whatever its encoding or BOM."""
        return tuple(header_of(head, DELIMITER)) == cls.header

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield one record per data row."""
        for row, fields in self.rows(path):
            yield self.record(row, fields)

    def rows(self, path: Path) -> Iterator[tuple[CsvRow, RowFields | None]]:
        """Yield each row with its cells by name, or None when the row is malformed."""
        for row in iter_rows(path, DELIMITER, expected_header=list(self.header)):
            if row.error or len(row.cells) != len(self.header):
                yield row, None
            else:
                yield row, RowFields(self.header, row.cells)

    def record(self, row: CsvRow, fields: RowFields | None) -> ParsedRecord:
        """Turn one row into a parsed record, refusing malformed rows with the reason."""
        record = ParsedRecord(f"line {row.line}", row.raw, authoritative=self.authoritative)
        if fields is None:
            return record.reject("_row", row.error or self.column_count_error(row))
        record.key, record.data = self.transform(fields)
        for column, reasons in fields.errors.items():
            record.errors.setdefault(column, []).extend(reasons)
        if record.key and len(record.key) > MAX_KEY_LENGTH:
            record.key = None
            record.reject("_key", f"the record's key is longer than {MAX_KEY_LENGTH} characters")
        return record

    def column_count_error(self, row: CsvRow) -> str:
        """Explain a row whose number of cells differs from the header's."""
        return (
            f"expected {len(self.header)} columns separated by {DELIMITER!r}, "
            f"found {len(row.cells)}"
        )

    def transform(self, fields: RowFields) -> tuple[str | None, dict[str, Any]]:
        """Return the record key and the work aggregate of one well-formed row."""
        raise NotImplementedError
