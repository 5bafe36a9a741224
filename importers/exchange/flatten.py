"""Write a stored work aggregate as rows of the exchange CSV template."""

from __future__ import annotations

from typing import Any

from importers.exchange import cells
from importers.exchange.columns import (
    ALL_COLUMNS,
    COLUMN_OF_ROLE,
    DEFAULT_PARTY_KIND,
    KEY,
    LOCAL,
    ROLE_COLUMNS,
)
from schemas.views import EXCHANGE_LICENCE
from schemas.vocab import expand_territories, territory_expression

EXCEPT = " except "


def aggregate_rows(
    key: str, work: dict[str, Any] | None, authoritative: bool = True, action: str = "upsert"
) -> list[list[str]]:
    """Return the template rows (cells in ALL_COLUMNS order) stating one record."""
    first: dict[str, str] = {
        KEY: key,
        "action": action,
        "authoritative": cells.format_yes_no(authoritative),
    }
    if action != "upsert" or work is None:
        return [_ordered(first)]
    first.update(_work_cells(work))
    titles = list(work.get("titles") or [])
    if titles and _fits_original_columns(titles[0]):
        head = titles.pop(0)
        first["original_title"] = head["text"]
        first["original_title_language"] = head.get("language") or ""
    items = [
        [_title_cells(t) for t in titles],
        [_rights_cells(r) for r in work.get("rights") or []],
        [_license_cells(lic) for lic in work.get("licenses") or []],
        [_coproduction_cells(c) for c in work.get("coproductions") or []],
    ]
    count = max([1, *(len(group) for group in items)])
    rows = [first] + [{KEY: key} for _ in range(count - 1)]
    for group in items:
        for row, item in zip(rows, group, strict=False):
            row.update(item)
    return [_ordered(row) for row in rows]


def _ordered(row: dict[str, str]) -> list[str]:
    """Return a row's cells in template column order."""
    return [row.get(column, "") for column in ALL_COLUMNS]


def _fits_original_columns(title: dict[str, Any]) -> bool:
    """Tell whether a title can be written in the original_title columns."""
    return title.get("kind") == "original" and not title.get("territory")


def _work_cells(work: dict[str, Any]) -> dict[str, str]:
    """Return the work-level cells of the first row."""
    number = cells.format_number
    parent = work.get("parent")
    out = {
        "work_type": work.get("work_type") or "",
        "year": number(work.get("year")),
        "year_end": number(work.get("year_end")),
        "runtime_minutes": number(work.get("runtime_minutes")),
        "episode_count": number(work.get("episode_count")),
        "parent": cells.format_pair(parent["scheme"], parent["value"]) if parent else "",
        "sequence": number(work.get("sequence")),
        "countries_of_origin": cells.join_list(work.get("countries_of_origin") or []),
        "original_languages": cells.join_list(work.get("original_languages") or []),
        "identifiers": cells.format_identifiers(work.get("identifiers") or []),
        "attributes": cells.format_json_object(work.get("attributes")),
    }
    by_column: dict[str, list[str]] = {}
    for contribution in work.get("contributions") or []:
        column = COLUMN_OF_ROLE[contribution["role"]]
        kind = ROLE_COLUMNS[column][1]
        text = cells.format_party(contribution["party"], kind, contribution.get("credit_order"))
        by_column.setdefault(column, []).append(text)
    out.update({column: "|".join(texts) for column, texts in by_column.items()})
    return out


def _title_cells(title: dict[str, Any]) -> dict[str, str]:
    """Return the local_title cells of one title."""
    return {
        "local_title": title["text"],
        "local_title_kind": "" if title.get("kind") == LOCAL else title.get("kind") or "",
        "local_title_language": title.get("language") or "",
        "local_title_territory": title.get("territory") or "",
    }


def _party(party: dict[str, Any] | None) -> str:
    """Return the cell of an optional party."""
    return cells.format_party(party, DEFAULT_PARTY_KIND) if party else ""


def _rights_cells(rights: dict[str, Any]) -> dict[str, str]:
    """Return the rights_* cells of one rights holding."""
    included, excluded = territory_cells(rights)
    return {
        "rights_holder": _party(rights.get("holder")),
        "right_type": rights.get("right_type") or "",
        "rights_share_pct": cells.format_number(rights.get("share_pct")),
        "rights_territories": included,
        "rights_excluded_territories": excluded,
        "rights_valid_from": rights.get("valid_from") or "",
        "rights_valid_to": rights.get("valid_to") or "",
    }


def _license_cells(stored: dict[str, Any]) -> dict[str, str]:
    """Return the license_* cells of one licence, read through the shared licence shape."""
    lic = EXCHANGE_LICENCE.dump(stored)
    included, excluded = territory_cells(lic)
    return {
        "licensor": _party(lic.get("licensor")),
        "licensee": _party(lic.get("licensee")),
        "license_media": cells.join_list(lic.get("media") or []),
        "license_territories": included,
        "license_excluded_territories": excluded,
        "license_languages": cells.join_list(lic.get("languages") or []),
        "license_start": lic.get("start") or "",
        "license_end": lic.get("end") or "",
        "license_exclusive": cells.format_yes_no(lic.get("exclusive")),
        "license_status": lic.get("status") or "",
        "license_external_id": lic.get("external_id") or "",
        "license_terms": cells.format_json_object(lic.get("terms")),
    }


def _coproduction_cells(part: dict[str, Any]) -> dict[str, str]:
    """Return the coproduction_* cells of one co-production part."""
    return {
        "coproduction_country": part["country"],
        "coproduction_party": _party(part.get("party")),
        "coproduction_share_pct": cells.format_number(part.get("share_pct")),
        "coproduction_role": part.get("role") or "",
    }


def territory_cells(item: dict[str, Any]) -> tuple[str, str]:
    """Return the included and excluded territory cells that reproduce an item's territories.

    The stored expression (such as 'LATAM except BR') is written back as regions and
    exclusions when it expands to the stored country list; otherwise the countries are listed.
    """
    countries = sorted(item.get("territories") or [])
    expression = item.get("territory_expression") or ""
    if expression:
        shown, _, removed = expression.partition(EXCEPT)
        included = [part.strip() for part in shown.split(",") if part.strip()]
        excluded = [part.strip() for part in removed.split(",") if part.strip()]
        try:
            same = (
                expand_territories(included, excluded) == countries
                and territory_expression(included, excluded) == expression
            )
        except ValueError:
            same = False
        if same:
            return cells.join_list(included), cells.join_list(excluded)
    return cells.join_list(countries), ""
