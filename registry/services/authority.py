"""Which agency speaks with authority for which facts, and who sees private terms: settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from registry.auth.principal import Principal
from registry.services.agencies import AGENCIES
from schemas.vocab import VocabularyError, country_code

ANY_COUNTRY = "*"


@lru_cache(maxsize=16)
def parse_authority(spec: str) -> dict[str, frozenset[str]]:
    """Read `AGENCY=CC,CC;AGENCY=*` into {agency: countries}; empty means none configured."""
    table: dict[str, frozenset[str]] = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        agency, sep, countries = part.partition("=")
        if not sep or not agency.strip():
            raise ValueError(f"invalid authority entry {part!r}: use AGENCY=CC,CC or AGENCY=*")
        codes = frozenset(c.strip().upper() for c in countries.split(",") if c.strip())
        table[agency.strip().upper()] = codes
    return table


def authority_countries(
    agency: str, spec: str, agency_countries: Mapping[str, str] | None = None
) -> frozenset[str]:
    """Return the countries of origin for whose works the agency is authoritative."""
    table = parse_authority(spec)
    if agency in table:
        return table[agency]
    country = (agency_countries or {}).get(agency) or AGENCIES.get(agency, ("",))[0]
    if not country or country == "ZZ":
        return frozenset()
    return frozenset({country})


def is_authoritative(
    agency: str,
    aggregate: Mapping[str, Any],
    spec: str = "",
    agency_countries: Mapping[str, str] | None = None,
) -> bool:
    """Tell whether the agency is the primary source of a work: by configuration, never data.

    By default an agency is authoritative for the works whose countries of origin include its
    own country; `authority_countries` in the settings replaces that per agency.
    """
    countries = authority_countries(agency, spec, agency_countries)
    if ANY_COUNTRY in countries:
        return True
    origin = {str(c).upper() for c in aggregate.get("countries_of_origin") or ()}
    return bool(countries & origin)


def stated_countries(data: Mapping[str, Any]) -> set[str]:
    """Return the alpha-2 codes of a record's countries of origin, as far as they are known."""
    codes = set()
    for value in data.get("countries_of_origin") or ():
        try:
            codes.add(country_code(str(value)))
        except (VocabularyError, ValueError):
            continue
    return codes


def authority_for(
    agency: str, spec: str, agency_countries: Mapping[str, str] | None = None
) -> Callable[[Mapping[str, Any]], bool]:
    """Return the check of one agency's authority over a record's data (before loading)."""
    countries = authority_countries(agency, spec, agency_countries)
    if ANY_COUNTRY in countries:
        return lambda _data: True
    return lambda data: bool(countries & stated_countries(data))


def may_see_private(principal: Principal | None, owner_agency: str | None) -> bool:
    """Tell whether a caller sees private data (licence money terms, raw rejected rows)."""
    return principal is not None and (principal.is_admin or principal.agency == owner_agency)


def hide_licence_terms(licences: Iterable[Any], principal: Principal | None) -> None:
    """Blank the money terms of licences the caller's agency did not state (in place).

    Takes licences as plain dicts or as the row views of the read services (with `source`).
    """
    for licence in licences:
        is_dict = isinstance(licence, dict)
        terms = licence.get("terms") if is_dict else getattr(licence, "terms", None)
        source = (licence.get("source") if is_dict else getattr(licence, "source", None)) or {}
        if not terms or may_see_private(principal, source.get("agency")):
            continue
        if is_dict:
            licence["terms"] = None
        else:
            licence.terms = None
