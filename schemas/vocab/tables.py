"""Every vocabulary and alias table as plain data for the documentation and the API."""

from __future__ import annotations

from typing import Any

import pycountry

from schemas.identifiers import SCHEMES
from schemas.vocab._data import read_csv
from schemas.vocab.countries import COUNTRY_ALIASES, HISTORIC_COUNTRIES, country_name
from schemas.vocab.media import MEDIA, MEDIA_ALIASES
from schemas.vocab.regions import REGION_DEFINITIONS, REGIONS
from schemas.vocab.terms import (
    COPRODUCTION_ROLES,
    LICENSE_STATUSES,
    PARTY_KINDS,
    RIGHT_TYPES,
    ROLES,
    TITLE_KINDS,
    WORK_TYPE_ALIASES,
    WORK_TYPES,
)


def _values(values: tuple[str, ...]) -> list[dict[str, Any]]:
    """Return a closed vocabulary as rows of one value each."""
    return [{"value": value} for value in values]


def _media_rows() -> list[dict[str, Any]]:
    """Return each medium with the Avails and ANCINE values that map to it."""
    rows = []
    for medium in MEDIA:
        aliases = [row for row in MEDIA_ALIASES if row["media"] == medium]
        rows.append(
            {
                "value": medium,
                "avails": [row["alias"] for row in aliases if row["source"] == "avails"],
                "ancine": [row["alias"] for row in aliases if row["source"] == "ancine"],
            }
        )
    return rows


def _country_rows() -> list[dict[str, Any]]:
    """Return every current and historic country code with its names."""
    rows = [
        {
            "code": country.alpha_2,
            "alpha_3": country.alpha_3,
            "name_en": country_name(country.alpha_2, "en"),
            "name_pt": country_name(country.alpha_2, "pt"),
            "name_es": country_name(country.alpha_2, "es"),
            "historic": False,
        }
        for country in sorted(pycountry.countries, key=lambda c: c.alpha_2)
    ]
    rows += [
        {
            "code": code,
            "alpha_3": None,
            "name_en": name,
            "name_pt": None,
            "name_es": None,
            "historic": True,
        }
        for code, name in sorted(HISTORIC_COUNTRIES.items())
    ]
    return rows


def vocabulary_tables() -> dict[str, list[dict[str, Any]]]:
    """Return every vocabulary and alias table as lists of plain dictionaries."""
    work_type_sources = {row["alias"]: row for row in read_csv("work_type_aliases.csv")}
    return {
        "work_types": _values(WORK_TYPES),
        "roles": _values(ROLES),
        "right_types": _values(RIGHT_TYPES),
        "title_kinds": _values(TITLE_KINDS),
        "license_statuses": _values(LICENSE_STATUSES),
        "coproduction_roles": _values(COPRODUCTION_ROLES),
        "party_kinds": _values(PARTY_KINDS),
        "identifier_schemes": [*_values(SCHEMES), {"value": "proprietary:<namespace>"}],
        "media": _media_rows(),
        "media_aliases": [dict(row) for row in MEDIA_ALIASES],
        "work_type_aliases": [
            {
                "alias": alias,
                "work_type": work_type,
                "source": work_type_sources[alias]["source"],
                "note": work_type_sources[alias]["note"],
            }
            for alias, work_type in WORK_TYPE_ALIASES.items()
        ],
        "countries": _country_rows(),
        "country_aliases": [dict(row) for row in COUNTRY_ALIASES],
        "regions": [
            {
                "name": name,
                "description": definition["description"],
                "source": definition["source"],
                "aliases": list(definition.get("aliases", ())),
                "countries": list(REGIONS[name]),
            }
            for name, definition in REGION_DEFINITIONS.items()
        ],
    }
