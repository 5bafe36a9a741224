"""Named regions and the expansion of territory expressions into explicit country lists."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from schemas.errors import VocabularyError
from schemas.text import fold
from schemas.vocab._data import read_json
from schemas.vocab.countries import CURRENT_COUNTRIES, country_code, is_country

REGION_DEFINITIONS: dict[str, dict] = read_json("regions.json")


def _members(name: str, seen: tuple[str, ...] = ()) -> frozenset[str]:
    """Return the countries of a region, following the regions it includes."""
    if name in seen:
        raise ValueError(f"region {name} includes itself through {' > '.join(seen)}")
    definition = REGION_DEFINITIONS[name]
    if definition.get("countries") == "*":
        return CURRENT_COUNTRIES
    members = set(definition.get("countries", ()))
    for included in definition.get("regions", ()):
        members |= _members(included, (*seen, name))
    unknown = sorted(code for code in members if not is_country(code))
    if unknown:
        raise ValueError(f"region {name} lists unknown country codes: {', '.join(unknown)}")
    return frozenset(members)


REGIONS: dict[str, tuple[str, ...]] = {
    name: tuple(sorted(_members(name))) for name in REGION_DEFINITIONS
}


def _region_key(text: str) -> str:
    """Return the lookup key of a region name: folded, separators as underscores, upper case."""
    return "_".join(fold(text).replace("-", " ").replace("_", " ").split()).upper()


@cache
def _region_index() -> dict[str, str]:
    """Return key -> region name for names and their aliases."""
    index = {}
    for name, definition in REGION_DEFINITIONS.items():
        index[_region_key(name)] = name
        for alias in definition.get("aliases", ()):
            index[_region_key(alias)] = name
    return index


def region_name(value: str) -> str | None:
    """Return the region a name or alias refers to, or None when it is not a region."""
    return _region_index().get(_region_key(value or ""))


def _resolve(item: str) -> tuple[str, tuple[str, ...]]:
    """Return the display form and the countries of one region or country expression."""
    region = region_name(item)
    if region is not None:
        return region, REGIONS[region]
    try:
        code = country_code(item)
    except VocabularyError:
        raise VocabularyError(
            f"unknown territory {item!r}: expected a country code or name, or a region "
            f"({', '.join(REGIONS)})"
        ) from None
    return code, (code,)


def expand_territories(included: Iterable[str], excluded: Iterable[str] = ()) -> list[str]:
    """Return the sorted alpha-2 codes of the included regions and countries minus the excluded."""
    included, excluded = list(included), list(excluded)
    countries: set[str] = set()
    for item in included:
        countries.update(_resolve(item)[1])
    if excluded and not included:
        raise VocabularyError(
            "excluded territories need included ones: state e.g. WORLD and the exclusions"
        )
    for item in excluded:
        countries.difference_update(_resolve(item)[1])
    if included and not countries:
        raise VocabularyError(
            f"the exclusions remove every included territory: "
            f"{territory_expression(included, excluded)}"
        )
    return sorted(countries)


def territory_expression(included: Iterable[str], excluded: Iterable[str] = ()) -> str:
    """Return a readable expression such as 'WORLD except US, CA' for display."""
    shown = list(dict.fromkeys(_resolve(item)[0] for item in included))
    removed = list(dict.fromkeys(_resolve(item)[0] for item in excluded))
    text = ", ".join(shown)
    if removed:
        text = f"{text} except {', '.join(removed)}"
    return text
