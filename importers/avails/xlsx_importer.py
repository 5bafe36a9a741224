"""Import EMA Avails spreadsheets (templates 1.7 to 1.9): rows grouped by ALID into avails."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from importers.avails.mapping_work import Errors, content_id_identifier
from importers.avails.records import AvailRecordBuilder
from importers.avails.xlsx_assets import read_asset
from importers.avails.xlsx_rows import (
    HEADER_SCAN_ROWS,
    find_header,
    is_annotation_row,
    is_data_row,
    raw_row,
    read_header,
    read_transaction,
    row_cells,
)
from importers.avails.xml_importer import DEFAULT_AGENCY
from importers.base import WARNING, Finding, Importer, ParsedRecord, UnreadableFile
from importers.mddf_identifiers import ContentIdError, checked_identifier
from importers.registry import register
from importers.xmlsafe import MAX_SHEET_COLUMNS, XmlLimits, check_xml_package

ZIP_MAGIC = b"PK\x03\x04"
# Facts that must agree between rows of one ALID: (asset key, column named in the error).
ASSET_FACTS = (
    ("work_type", "WorkType"),
    ("content_id", "ContentID"),
    ("eidr_title", "TitleID"),
    ("eidr_edit", "EditID"),
    ("number", "EpisodeNumber"),
    ("year", "ReleaseYear"),
)


IDENTIFIER_FACTS = ("content_id", "eidr_title", "eidr_edit", "parent")
IGNORED = "an identifier failing its check tells no asset apart: the first row's is kept"


def _verifies(key: str, value: str) -> bool:
    """Tell whether a content id or EIDR cell holds an identifier that passes its check."""
    if key == "eidr_title" or key == "eidr_edit":
        return checked_identifier("eidr", value)[1] is None
    try:
        identifier = content_id_identifier(value)
    except ContentIdError:
        return False
    if identifier is None:
        return True
    return checked_identifier(identifier["scheme"], identifier["value"])[1] is None


def _ranges(rows: list[int]) -> str:
    """Return row numbers as compact ranges, e.g. '6-8, 10'."""
    parts, start, previous = [], rows[0], rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if row is not None:
            start = previous = row
    return ", ".join(parts)


@dataclass
class _Group:
    """The rows of one ALID in a sheet: one avail with one transaction per row."""

    header: dict[str, Any]
    asset: dict[str, Any]
    first_row: int
    rows: list[int] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    transactions: list[dict[str, Any]] = field(default_factory=list)
    entry_types: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def differences(self, asset: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
        """Return the asset facts in which another row of the same ALID differs.

        The first mapping holds the differences that tell another asset apart; the second the
        identifiers that differ although one of them fails its check, which tell nothing (the
        group keeps its own). A blank cell is no contradiction: an optional column left empty
        on one row takes the value the other rows of the ALID give.
        """
        real, unverified = {}, {}
        facts = [(key, column, self.asset.get(key), asset.get(key)) for key, column in ASSET_FACTS]
        mine_parent, theirs_parent = self.asset.get("parent") or {}, asset.get("parent") or {}
        facts.append(
            (
                "parent",
                "SeasonContentID",
                mine_parent.get("content_id"),
                theirs_parent.get("content_id"),
            )
        )
        for key, column, mine, theirs in facts:
            if mine in (None, "") or theirs in (None, "") or mine == theirs:
                continue
            label = asset["labels"].get(key) or column
            message = f"{theirs!r} differs from {mine!r} on row {self.first_row} of the same ALID"
            if key in IDENTIFIER_FACTS and not (_verifies(key, mine) and _verifies(key, theirs)):
                unverified[label] = message
            else:
                real[label] = message
        return real, unverified

    def absorb(self, asset: dict[str, Any]) -> None:
        """Add a row's titles, ratings and descriptive facts to the group's asset."""
        for key, _ in ASSET_FACTS:
            if self.asset.get(key) in (None, "") and asset.get(key) not in (None, ""):
                self.asset[key] = asset[key]
        if self.asset.get("parent") is None and asset.get("parent") is not None:
            self.asset["parent"] = asset["parent"]
        known = {title["text"] for title in self.asset["titles"]}
        self.asset["titles"] += [t for t in asset["titles"] if t["text"] not in known]
        seen = [
            {k: r[k] for k in ("region", "system", "value", "reasons")}
            for r in self.asset["ratings"]
        ]
        for rating in asset["ratings"]:
            if {k: rating[k] for k in ("region", "system", "value", "reasons")} not in seen:
                self.asset["ratings"].append(rating)
        for key, value in asset["attributes"].items():
            current = self.asset["attributes"].setdefault(key, value)
            if key == "alt_ids":
                current.extend(v for v in value if v not in current)


def _read_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """Yield a sheet's rows, at most MAX_SHEET_COLUMNS wide (a sheet declaring 16,384 columns
    would otherwise make every empty row that wide); a damaged part ends the file with the
    reason, on one line."""
    try:
        width = min(sheet.max_column or MAX_SHEET_COLUMNS, MAX_SHEET_COLUMNS)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise UnreadableFile(_damaged(f"sheet {sheet.title!r}", exc)) from None
    rows = sheet.iter_rows(values_only=True, max_col=width)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds on damaged parts
            raise UnreadableFile(_damaged(f"sheet {sheet.title!r}", exc)) from None
        yield row


def _damaged(what: str, exc: Exception) -> str:
    """Describe why openpyxl could not read part of a workbook, on one line."""
    reason = " ".join(str(exc).split())[:300]
    return f"{what} is not readable ({type(exc).__name__}: {reason})"


def _sheet_records(sheet: Any, builder: AvailRecordBuilder) -> Iterator[ParsedRecord]:
    """Yield the records of one sheet whose header names Avails columns."""
    rows = _read_rows(sheet)
    head = [row for _, row in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
    header_index = find_header(head)
    if header_index is None:
        return
    header = [str(c).strip() if isinstance(c, str) else None for c in head[header_index]]
    pending = ((n, row) for n, row in enumerate(head[header_index + 1 :], header_index + 2))
    groups: dict[str, list[_Group]] = {}
    numbered = enumerate(rows, start=len(head) + 1)
    for number, row in (*pending, *numbered):
        cells = row_cells(header, row)
        if not is_data_row(cells) or is_annotation_row(row):
            continue
        locator, raw = f"{sheet.title}!row {number}", raw_row(row)
        avail_header = read_header(cells)
        asset = read_asset(cells, locator, raw)
        key = avail_header["alid"] or avail_header["avail_id"] or locator
        candidates = groups.setdefault(key, [])
        group, ignored = None, {}
        for candidate in candidates:
            real, ignored = candidate.differences(asset)
            if not real:
                group = candidate
                break
        if group is None:
            group = _Group(avail_header, asset, number)
            candidates.append(group)
        else:
            group.absorb(asset)
            group.findings += [
                Finding(
                    WARNING, "identifier-differs", label, f"row {number}: {message}; " + IGNORED
                )
                for label, message in ignored.items()
            ]
        group.rows.append(number)
        group.raws.append(raw)
        group.entry_types.append(avail_header["entry_type"] or "")
        group.transactions.append(read_transaction(cells, locator, raw))
    for same_key in groups.values():
        for group in same_key:
            yield from _group_records(sheet.title, group, builder)


def _group_records(
    title: str, group: _Group, builder: AvailRecordBuilder
) -> Iterator[ParsedRecord]:
    """Yield the records of one ALID's rows through the shared record builder."""
    entry_types = sorted({entry.casefold() for entry in group.entry_types})
    issues = Errors()
    issues.findings.extend(group.findings)
    if len(entry_types) > 1:
        issues["EntryType"] = [f"the rows of one ALID mix EntryTypes: {', '.join(entry_types)}"]
    avail = {
        **group.header,
        "avail_type": None,
        "asset": group.asset,
        "asset_count": 1,
        "transactions": group.transactions,
        "labels": {
            "alid": "ALID",
            "entry_type": "EntryType",
            "licensor": "DisplayName",
            "asset": "WorkType",
        },
    }
    locator = f"{title}!row {_ranges(group.rows)}"
    yield from builder.records(avail, locator, "\n".join(group.raws), issues)


@register
class AvailsXlsxImporter(Importer):
    """EMA Avails spreadsheet: rows of one ALID form one avail, one licence per row."""

    name = "avails-xlsx"
    agency = DEFAULT_AGENCY
    description = "EMA Avails spreadsheet (template versions 1.7 to 1.9)"

    def __init__(self, limits: XmlLimits | None = None) -> None:
        self.limits = limits or XmlLimits()

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Recognise a workbook with a sheet whose first rows name Avails columns."""
        if not head.startswith(ZIP_MAGIC):
            return False
        try:
            check_xml_package(path)
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # a file openpyxl cannot open is simply not this format
            return False
        try:
            for sheet in workbook.worksheets:
                rows = list(sheet.iter_rows(values_only=True, max_row=HEADER_SCAN_ROWS))
                if find_header(rows) is not None:
                    return True
            return False
        except Exception:  # a damaged sheet: records() explains it when asked to read it
            return False
        finally:
            workbook.close()

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield the records of every Avails sheet, then the derived seasons and series."""
        check_xml_package(path, self.limits)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile) as exc:
            raise UnreadableFile(f"{path.name}: not a readable spreadsheet ({exc})") from None
        except Exception as exc:  # openpyxl raises many kinds on damaged parts
            raise UnreadableFile(_damaged(path.name, exc)) from None
        builder = AvailRecordBuilder()
        found = False
        try:
            for sheet in workbook.worksheets:
                for record in _sheet_records(sheet, builder):
                    found = True
                    yield record
        finally:
            workbook.close()
        if not found:
            raise UnreadableFile(
                f"{path.name}: no sheet has an Avails header (columns such as ALID, Territory, "
                f"WorkType, LicenseType, Start, End)"
            )
        yield from builder.parent_records()
