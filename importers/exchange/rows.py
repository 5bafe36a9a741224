"""Turn the rows of one work in the exchange CSV into a parsed record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from importers.base import ParsedRecord
from importers.exchange import cells
from importers.exchange.columns import (
    COPRODUCTION_COLUMNS,
    DEFAULT_PARTY_KIND,
    FIRST_ROW_ONLY,
    KEY,
    LICENSE_COLUMNS,
    LOCAL,
    RIGHTS_COLUMNS,
    ROLE_COLUMNS,
    TITLE_COLUMNS,
)

ACTIONS = {"": "upsert", "upsert": "upsert", "delete": "delete"}


@dataclass(frozen=True)
class TemplateRow:
    """One data row of the template: its line, raw text and cells by column name."""

    line: int
    raw: str
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return the trimmed text of a cell, empty when the column is absent."""
        return self.cells.get(column, "").strip()

    def any_filled(self, columns: tuple[str, ...]) -> bool:
        """Tell whether any of the columns has text in this row."""
        return any(self.get(column) for column in columns)


def locator_of(rows: list[TemplateRow]) -> str:
    """Return 'line N' for one row or 'lines N-M' for several."""
    first, last = rows[0].line, rows[-1].line
    return f"line {first}" if first == last else f"lines {first}-{last}"


def record_from_rows(rows: list[TemplateRow]) -> ParsedRecord:
    """Build the parsed record of one work from its consecutive rows."""
    return _RowsReader(rows).record()


class _RowsReader:
    """Collect one work's aggregate and the reasons any cell cannot be read."""

    def __init__(self, rows: list[TemplateRow]) -> None:
        self.rows = rows
        self.errors: dict[str, list[str]] = {}

    def note(self, column: str, row: TemplateRow, message: str) -> None:
        """Remember why a cell cannot be used."""
        self.errors.setdefault(column, []).append(f"line {row.line}: {message}")

    def value(self, row: TemplateRow, column: str, parse: Callable[[str], Any]) -> Any:
        """Parse one cell, or return None when it is empty or unreadable."""
        text = row.get(column)
        if not text:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.note(column, row, str(exc))
            return None

    def party(self, row: TemplateRow, column: str, kind: str = DEFAULT_PARTY_KIND) -> Any:
        """Parse a cell naming one party."""
        return self.value(row, column, lambda text: cells.parse_party(text, kind)[0])

    def record(self) -> ParsedRecord:
        """Return the record with its aggregate or its errors."""
        first = self.rows[0]
        record = ParsedRecord(
            locator_of(self.rows), "\n".join(row.raw for row in self.rows), first.get(KEY) or None
        )
        for row in self.rows[1:]:
            for column in sorted(c for c in FIRST_ROW_ONLY if row.get(c)):
                self.note(
                    column,
                    row,
                    "only the first row of a work may fill this column; "
                    "following rows add titles, rights, licences and co-productions",
                )
        action = ACTIONS.get(first.get("action").lower())
        if action is None:
            self.note("action", first, f"{first.get('action')!r} is not upsert or delete")
        authoritative = self.value(first, "authoritative", cells.parse_yes_no)
        record.authoritative = True if authoritative is None else authoritative
        if action == "delete":
            record.action = "delete"
        else:
            record.data = self.work(first)
        record.errors.update(self.errors)
        return record

    def work(self, first: TemplateRow) -> dict[str, Any]:
        """Read the work columns of the first row and the items of every row."""
        data: dict[str, Any] = {}
        for name, parse in (
            ("work_type", cells.parse_word),
            ("year", cells.parse_integer),
            ("year_end", cells.parse_integer),
            ("runtime_minutes", cells.parse_runtime),
            ("episode_count", cells.parse_integer),
            ("parent", _parent),
            ("sequence", cells.parse_integer),
            ("countries_of_origin", cells.split_list),
            ("original_languages", cells.split_list),
            ("identifiers", cells.parse_identifiers),
            ("attributes", cells.parse_json_object),
        ):
            value = self.value(first, name, parse)
            if value is not None:
                data[name] = value
        titles = self.original_titles(first)
        titles += [t for row in self.rows if (t := self.title(row))]
        contributions = self.contributions(first)
        groups = {
            "titles": titles,
            "contributions": contributions,
            "rights": [r for row in self.rows if (r := self.rights(row))],
            "licenses": [lic for row in self.rows if (lic := self.license(row))],
            "coproductions": [c for row in self.rows if (c := self.coproduction(row))],
        }
        data.update({name: items for name, items in groups.items() if items})
        return data

    def original_titles(self, row: TemplateRow) -> list[dict[str, Any]]:
        """Read the original title of the first row."""
        text, language = row.get("original_title"), row.get("original_title_language")
        if not text:
            if language:
                self.note("original_title", row, "a language is given but no original_title")
            return []
        return [{"text": text, "language": language or None, "kind": "original"}]

    def contributions(self, row: TemplateRow) -> list[dict[str, Any]]:
        """Read every role column of the first row."""
        found = []
        for column, (role, kind) in ROLE_COLUMNS.items():
            for piece in cells.split_parties(row.get(column)):
                try:
                    party, order = cells.parse_party(piece, kind, with_order=True)
                except ValueError as exc:
                    self.note(column, row, str(exc))
                    continue
                found.append({"party": party, "role": role, "credit_order": order})
        return found

    def title(self, row: TemplateRow) -> dict[str, Any] | None:
        """Read the other title of a row, if any."""
        if not row.any_filled(TITLE_COLUMNS):
            return None
        title: dict[str, Any] = {"kind": cells.parse_word(row.get("local_title_kind")) or LOCAL}
        if row.get("local_title"):
            title["text"] = row.get("local_title")
        title["language"] = row.get("local_title_language") or None
        title["territory"] = row.get("local_title_territory") or None
        return title

    def rights(self, row: TemplateRow) -> dict[str, Any] | None:
        """Read the rights holding of a row, if any."""
        if not row.any_filled(RIGHTS_COLUMNS):
            return None
        return _present(
            {
                "holder": self.party(row, "rights_holder"),
                "right_type": self.value(row, "right_type", cells.parse_word),
                "share_pct": self.value(row, "rights_share_pct", cells.parse_number),
                "territories": self.value(row, "rights_territories", cells.split_list),
                "excluded_territories": self.value(
                    row, "rights_excluded_territories", cells.split_list
                ),
                "valid_from": self.value(row, "rights_valid_from", cells.parse_iso_date),
                "valid_to": self.value(row, "rights_valid_to", cells.parse_iso_date),
            }
        )

    def license(self, row: TemplateRow) -> dict[str, Any] | None:
        """Read the licence of a row, if any."""
        if not row.any_filled(LICENSE_COLUMNS):
            return None
        media = self.value(row, "license_media", cells.split_list)
        return _present(
            {
                "licensor": self.party(row, "licensor"),
                "licensee": self.party(row, "licensee"),
                "media": [cells.parse_word(m) for m in media] if media else None,
                "territories": self.value(row, "license_territories", cells.split_list),
                "excluded_territories": self.value(
                    row, "license_excluded_territories", cells.split_list
                ),
                "languages": self.value(row, "license_languages", cells.split_list),
                "start": self.value(row, "license_start", cells.parse_iso_date),
                "end": self.value(row, "license_end", cells.parse_iso_date),
                "exclusive": self.value(row, "license_exclusive", cells.parse_yes_no),
                "status": self.value(row, "license_status", cells.parse_word),
                "external_id": row.get("license_external_id") or None,
                "terms": self.value(row, "license_terms", cells.parse_json_object),
            }
        )

    def coproduction(self, row: TemplateRow) -> dict[str, Any] | None:
        """Read the co-production part of a row, if any."""
        if not row.any_filled(COPRODUCTION_COLUMNS):
            return None
        return _present(
            {
                "country": row.get("coproduction_country") or None,
                "party": self.party(row, "coproduction_party"),
                "share_pct": self.value(row, "coproduction_share_pct", cells.parse_number),
                "role": self.value(row, "coproduction_role", cells.parse_word),
            }
        )


def _parent(text: str) -> dict[str, str]:
    """Parse the parent work reference 'scheme:value'."""
    scheme, value = cells.split_pair(text)
    return {"scheme": scheme, "value": value}


def _present(item: dict[str, Any]) -> dict[str, Any]:
    """Drop the fields of an item that were left empty."""
    return {name: value for name, value in item.items() if value is not None}
