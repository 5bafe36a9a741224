"""ANCINE directors of foreign works: one row per (director cell, title, ROE).

Rows of one work are not adjacent in the published file, so each row is its own record keyed
"ROE:folded title:folded director" (the ROE E1300000100000 is shared by many works, hence the
title). A later row that folds to the same key (accent or spacing variants) repeats the first
row's statement, so re-imports stay idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from importers.ancine.common import AncineCsvImporter, RowFields
from importers.ancine.parties import person
from importers.ancine.text import fold
from importers.ancine.titles import title_entries
from importers.base import ParsedRecord
from importers.registry import register

DIRECTORS_HEADER = ("DIRETOR", "TITULO_ORIGINAL", "ROE")
NOT_STATED = frozenset({"n a", "na", "nao informado", "nao consta", "desconhecido"})
_SEPARATORS = re.compile(r"\s*(?:/|,|;|&|\s+E\s+|\s+AND\s+)\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def is_masked(cell: str) -> bool:
    """Tell whether ANCINE withheld the name (a run of asterisks)."""
    return bool(cell) and set(cell) == {"*"}


def is_not_stated(cell: str) -> bool:
    """Tell whether the cell names nobody ('-', 'N/A', 'NÃO INFORMADO')."""
    words = _NOT_ALPHANUMERIC.sub(" ", fold(cell)).strip()
    return not words or words in NOT_STATED


def director_names(cell: str) -> list[str]:
    """Split a cell naming several directors when every part looks like a full name."""
    cell = _SPACES.sub(" ", cell).strip()
    parts = [part for part in _SEPARATORS.split(cell) if part]
    if len(parts) == 1:
        return parts
    if all(len(part.split()) >= 2 for part in parts):
        return parts
    return [cell.strip(" ,/;&")]


def director_data(title: str | None, cell: str, roe: str | None) -> dict[str, Any]:
    """Return the aggregate stating the directors of the work (ROE, title)."""
    data: dict[str, Any] = {
        "titles": title_entries(title, None),
        "identifiers": [{"scheme": "br_roe", "value": roe}] if roe else [],
        "contributions": [],
        "attributes": {},
    }
    if is_masked(cell):
        data["attributes"]["director_withheld"] = True
    elif is_not_stated(cell):
        data["attributes"]["director_not_stated"] = True
    else:
        names = director_names(cell)
        several = len(names) > 1
        data["contributions"] = [
            {"party": person(name), "role": "director", "credit_order": i if several else None}
            for i, name in enumerate(names, start=1)
        ]
    return data


@register
class AncineDirectorsImporter(AncineCsvImporter):
    """Directors (diretores-de-obras-nao-publicitarias-estrangeiras.csv)."""

    name = "ancine-directors"
    description = "ANCINE directors of foreign non-advertising works (dados abertos CSV)"
    header: ClassVar[tuple[str, ...]] = DIRECTORS_HEADER
    authoritative: ClassVar[bool] = False

    def __init__(self) -> None:
        """Start without seen keys; records() fills them."""
        self.first_seen: dict[str, tuple[str | None, str]] = {}

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield one record per row, repeating the first statement for folded duplicates."""
        self.first_seen = {}
        yield from super().records(path)

    def transform(self, fields: RowFields) -> tuple[str | None, dict[str, Any]]:
        """State the director(s) of one work; masked names give no party."""
        roe = fields.identifier("ROE", "br_roe")
        title = fields.text("TITULO_ORIGINAL")
        cell = fields.text("DIRETOR") or ""
        if title is None:
            fields.error("TITULO_ORIGINAL", "missing: the title identifies the work")
        if roe is None or title is None:
            return None, director_data(title, cell, roe)
        key = f"{roe}:{fold(title)}:{fold(cell)}"
        title, cell = self.first_seen.setdefault(key, (title, cell))
        return key, director_data(title, cell, roe)
