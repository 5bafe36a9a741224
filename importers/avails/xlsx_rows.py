"""Read EMA Avails spreadsheet rows (templates 1.7 to 1.9) into the shared intermediate dicts."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from importers.avails import vocab

HEADER_SCAN_ROWS = 10
HEADER_MARKERS = frozenset(
    {
        "DisplayName",
        "Territory",
        "WorkType",
        "EntryType",
        "LicenseType",
        "FormatProfile",
        "Start",
        "End",
        "ALID",
        "AvailID",
        "ContentID",
        "TitleInternalAlias",
    }
)
MIN_MARKERS = 5
ROW_KEYS = (
    "ALID",
    "AvailID",
    "ContentID",
    "LicenseType",
    "TitleInternalAlias",
    "EpisodeTitleInternalAlias",
    "SeriesTitleInternalAlias",
)
MONEY_PRICE = re.compile(r"^(TPR-)?(Episode|Season)?(WSP|SRP|DMRP|SMRP|LicenseFee)(-PostTax)?$")
_LIST_SPLIT = re.compile(r"[,;]")
TYPED_TERM_KINDS = ("Money", "Event", "Number", "Boolean")
TRANSACTION_LABELS = {
    "licensee": "Licensee",
    "license_type": "LicenseType",
    "territories": "Territory",
    "excluded": "TerritoryExclusion",
    "start": "Start",
    "start_condition": "Start",
    "end": "End",
    "end_condition": "End",
    "allowed_languages": "AllowedLanguages",
    "asset_languages": "AssetLanguage",
    "holdback_languages": "HoldbackLanguage",
    "format_profile": "FormatProfile",
    "rights_description": "LicenseRightsDescription",
    "terms": "Term",
    "window_duration": "WindowDuration",
}
# Columns that become a Term: column -> (termName, value kind).
TERM_COLUMNS = {
    "SRP": ("SRP", "Money"),
    "SuppressionLiftDate": ("SuppressionLiftDate", "Event"),
    "SpecialPreOrderFulfillDate": ("PreorderFulfillDate", "Event"),
    "AnnounceDate": ("AnnounceDate", "Event"),
    "FixedEndDate": ("FixedEndDate", "Event"),
    "RentalDuration": ("RentalDuration", "Number"),
    "WatchDuration": ("WatchDuration", "Number"),
    "TitleStatus": ("TitleStatus", "Text"),
    "Exclusive": ("Exclusive", "Boolean"),
    "ExclusiveAttributes": ("ExclusiveAttributes", "Text"),
    "BrandingRights": ("BrandingRights", "Boolean"),
    "BrandingRightsAttributes": ("BrandingRightsAttributes", "Text"),
    "Download": ("Download", "Text"),
}


def cell_text(value: Any) -> str | None:
    """Return a cell as text: numbers without a spurious '.0', comments ('//...') as None."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    text = " ".join(str(value).split())
    return None if not text or text.startswith("//") else text


def find_header(rows: list[tuple[Any, ...]]) -> int | None:
    """Return the index of the header row among the first rows of a sheet, or None."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = {str(cell).strip() for cell in row if isinstance(cell, str)}
        if len(names & HEADER_MARKERS) >= MIN_MARKERS:
            return index
    return None


def row_cells(header: list[str | None], row: tuple[Any, ...]) -> dict[str, Any]:
    """Return the row's non-empty cells by column name; '//' comment cells are dropped."""
    cells = {}
    for name, value in zip(header, row, strict=False):
        if name and cell_text(value) is not None:
            cells[name] = value
    return cells


def is_annotation_row(row: tuple[Any, ...]) -> bool:
    """Tell whether a row is the template's requirement line ('//REQ', '//Opt', version)."""
    texts = [str(cell).strip() for cell in row if isinstance(cell, str) and str(cell).strip()]
    return bool(texts) and sum(text.startswith("/") for text in texts) * 2 >= len(texts)


def is_data_row(cells: dict[str, Any]) -> bool:
    """Tell whether a row holds an avail (not a version line, comment or blank row)."""
    return any(key in cells for key in ROW_KEYS)


def raw_row(row: tuple[Any, ...]) -> str:
    """Return the row as tab-joined cell values, trailing empty cells dropped."""
    values = ["" if cell is None else str(cell) for cell in row]
    while values and not values[-1]:
        values.pop()
    return "\t".join(values)


def split_cell(value: Any) -> list[str]:
    """Split a comma- or semicolon-separated cell into trimmed items."""
    text = cell_text(value)
    return [item.strip() for item in _LIST_SPLIT.split(text)] if text else []


def get_text(cells: dict[str, Any], name: str | None) -> str | None:
    """Return a cell's text or None."""
    return cell_text(cells.get(name)) if name else None


def _bound(cells: dict[str, Any], column: str) -> tuple[Any, str | None]:
    """Return (date, None) or (None, condition) for a Start or End cell."""
    value = cells.get(column)
    if isinstance(value, datetime | date):
        return value, None
    text = cell_text(value)
    if text and vocab.check("DateTimeCondition", text) is None:
        return None, text
    return text, None


def _term_cell(value: Any, kind: str) -> Any:
    """Return a term's cell as the mapping expects it: typed for typed kinds, else text."""
    return value if kind in TYPED_TERM_KINDS else cell_text(value)


def _terms(cells: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the row's price and other terms in the Term shape of the XML."""
    terms = []
    price_type = get_text(cells, "PriceType")
    if price_type:
        kind = "Money" if MONEY_PRICE.match(price_type) else "Text"
        terms.append(
            {
                "name": price_type,
                "kind": kind,
                "value": _term_cell(cells.get("PriceValue"), kind),
                "currency": get_text(cells, "PriceCurrency"),
                "label": "PriceValue",
            }
        )
    for column, (name, kind) in TERM_COLUMNS.items():
        if cell_text(cells.get(column)) is not None:
            currency = get_text(cells, "PriceCurrency") if kind == "Money" else None
            terms.append(
                {
                    "name": name,
                    "kind": kind,
                    "value": _term_cell(cells[column], kind),
                    "currency": currency,
                    "label": column,
                }
            )
    return terms


def read_transaction(cells: dict[str, Any], locator: str, raw: str) -> dict[str, Any]:
    """Read the transaction (licence line) of a row."""
    start, start_condition = _bound(cells, "Start")
    end, end_condition = _bound(cells, "End")
    return {
        "locator": locator,
        "raw": raw,
        "labels": dict(TRANSACTION_LABELS),
        "transaction_id": get_text(cells, "AvailID"),
        "licensee": get_text(cells, "Licensee"),
        "license_type": get_text(cells, "LicenseType"),
        "territories": split_cell(cells.get("Territory")),
        "excluded": split_cell(cells.get("TerritoryExclusion")),
        "start": start,
        "start_condition": start_condition,
        "start_lag": get_text(cells, "StartLag"),
        "end": end,
        "end_condition": end_condition,
        "end_lag": get_text(cells, "EndLag"),
        "window_duration": get_text(cells, "WindowDuration"),
        "allowed_languages": split_cell(cells.get("AllowedLanguages")),
        "asset_languages": split_cell(cells.get("AssetLanguage")),
        "holdback_languages": split_cell(cells.get("HoldbackLanguage")),
        "format_profile": get_text(cells, "FormatProfile"),
        "format_attributes": {
            c: get_text(cells, c) for c in ("HDR", "WCG", "HFR", "NGAudio") if get_text(cells, c)
        },
        "rights_description": get_text(cells, "LicenseRightsDescription"),
        "terms": _terms(cells),
        "description": get_text(cells, "Description"),
        "contract_id": get_text(cells, "ContractID"),
        "reporting_id": get_text(cells, "ReportingID"),
        "other_instructions": get_text(cells, "OtherInstructions"),
        "other_terms": get_text(cells, "OtherTerms"),
        "store_type": get_text(cells, "StoreType"),
    }


def read_header(cells: dict[str, Any]) -> dict[str, Any]:
    """Read the avail-wide columns of a row: ALID, licensor, entry type, entitlements."""
    entitlements = [
        {"ecosystem": ecosystem, "ids": [get_text(cells, column)]}
        for column, ecosystem in (("UV_ID", "UVVU"), ("DMA_ID", "DMA"))
        if get_text(cells, column)
    ]
    return {
        "alid": get_text(cells, "ALID"),
        "avail_id": get_text(cells, "AvailID"),
        "entry_type": get_text(cells, "EntryType"),
        "licensor": get_text(cells, "DisplayName"),
        "service_provider": get_text(cells, "ServiceProvider"),
        "attributes": {"shared_entitlements": entitlements} if entitlements else {},
    }
