"""ANCINE countries of origin of Brazilian works: one row per (work, country).

The rows of one CPB are not adjacent in the published file (it is sorted by country), so each
row is its own record keyed "CPB:COUNTRY". A first pass counts the countries of every CPB; a
row whose CPB has several countries also states a co-production for its own country, so a
work ends up with one co-production per country, each backed by the row that names it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from importers.ancine.common import AncineCsvImporter, RowFields
from importers.ancine.text import fold
from importers.ancine.titles import work_titles
from importers.base import ParsedRecord
from importers.registry import register
from schemas.vocab import country_code

COUNTRIES_HEADER = ("PAIS_ORIGEM", "TITULO_ORIGINAL", "CPB")


def country_key(name: str | None) -> str:
    """Return the alpha-2 code of a country name, or its folded text when unknown."""
    try:
        return country_code(name or "")
    except ValueError:
        return fold(name).upper()


@register
class AncineCountriesImporter(AncineCsvImporter):
    """Countries of origin (paises-de-origem-das-obras-nao-publicitarias-brasileiras.csv)."""

    name = "ancine-countries"
    description = "ANCINE countries of origin of Brazilian works (dados abertos CSV)"
    header: ClassVar[tuple[str, ...]] = COUNTRIES_HEADER
    authoritative: ClassVar[bool] = False

    def __init__(self) -> None:
        """Start without country counts; records() fills them."""
        self.countries_by_cpb: dict[str, set[str]] = {}

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Count each CPB's countries in a first pass, then yield one record per row."""
        self.countries_by_cpb = self.count_countries(path)
        yield from super().records(path)

    def count_countries(self, path: Path) -> dict[str, set[str]]:
        """Return the set of country keys every CPB of the file has."""
        countries: dict[str, set[str]] = defaultdict(set)
        for _, fields in self.rows(path):
            if fields is not None:
                cpb = fields.identifier("CPB", "br_cpb") or ""
                countries[cpb].add(country_key(fields.text("PAIS_ORIGEM")))
        return countries

    def transform(self, fields: RowFields) -> tuple[str | None, dict[str, Any]]:
        """State one country of one work, and its co-production share when there are several."""
        cpb = fields.identifier("CPB", "br_cpb")
        name = fields.text("PAIS_ORIGEM")
        if name is None:
            fields.error("PAIS_ORIGEM", "missing: expected a country name")
        key = country_key(name)
        coproduction = len(self.countries_by_cpb.get(cpb or "", ())) > 1
        data = {
            "titles": work_titles(fields.text("TITULO_ORIGINAL"), None, brazilian_work=True),
            "identifiers": [{"scheme": "br_cpb", "value": cpb}] if cpb else [],
            "countries_of_origin": [name] if name else [],
            "coproductions": (
                [{"country": name, "party": None, "share_pct": None, "role": None}]
                if coproduction and name
                else []
            ),
        }
        return (f"{cpb}:{key}" if cpb else None), data
