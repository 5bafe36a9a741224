"""Resolve ISO 3166 codes and Portuguese, Spanish and English country names to alpha-2 codes.

Historic countries keep their ISO 3166-3 alpha-2 code where it was never reassigned (SU, CS,
YU, DD, AN, ...); West Germany resolves to DE and renamed countries (Zaire, Burma) to today's
code. Agency spellings that CLDR lacks are listed in data/country_aliases.csv.
"""

from __future__ import annotations

import gettext
import re
from functools import cache, lru_cache

import pycountry
from babel import Locale, UnknownLocaleError

from schemas.errors import VocabularyError
from schemas.text import fold
from schemas.vocab._data import read_csv

NAME_LANGUAGES = ("pt", "pt_PT", "es", "es_419", "en")
_TRANSLATION_LANGUAGES = ("pt", "pt_BR", "es")
_NON_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")

CURRENT_COUNTRIES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
HISTORIC_COUNTRIES: dict[str, str] = {
    c.alpha_2: c.name
    for c in reversed(list(pycountry.historic_countries))
    if c.alpha_2 not in CURRENT_COUNTRIES
}
COUNTRY_ALIASES: tuple[dict[str, str], ...] = read_csv("country_aliases.csv")


def name_key(text: str) -> str:
    """Return the lookup key of a name: folded, punctuation read as spaces."""
    return _NON_ALPHANUMERIC.sub(" ", fold(text)).strip()


def _iso_names(country: object) -> list[str]:
    """Return the English names pycountry knows for a country."""
    return [
        name
        for attr in ("name", "official_name", "common_name")
        if (name := getattr(country, attr, None))
    ]


@cache
def _name_index() -> dict[str, str]:
    """Build the key -> alpha-2 index once; earlier sources win over later ones."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        index[country.alpha_2.lower()] = country.alpha_2
        index[country.alpha_3.lower()] = country.alpha_2
    for historic in pycountry.historic_countries:
        if historic.alpha_2 in HISTORIC_COUNTRIES:
            index.setdefault(historic.alpha_2.lower(), historic.alpha_2)
            index.setdefault(historic.alpha_3.lower(), historic.alpha_2)
    for row in COUNTRY_ALIASES:
        index.setdefault(name_key(row["name"]), row["code"])
    for language in NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in CURRENT_COUNTRIES:
                index.setdefault(name_key(name), code)
    for country in pycountry.countries:
        for name in _iso_names(country):
            index.setdefault(name_key(name), country.alpha_2)
    for language in _TRANSLATION_LANGUAGES:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        for country in pycountry.countries:
            for name in _iso_names(country):
                index.setdefault(name_key(translation.gettext(name)), country.alpha_2)
    return index


def is_country(code: str) -> bool:
    """Tell whether code is a current or historic ISO 3166 alpha-2 country code."""
    return code in CURRENT_COUNTRIES or code in HISTORIC_COUNTRIES


@lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    """Return the alpha-2 code for an ISO code or a Portuguese, Spanish or English name."""
    key = name_key(value or "")
    code = _name_index().get(key)
    if code is None:
        raise VocabularyError(
            f"unknown country {value!r}: expected an ISO 3166-1 alpha-2 or alpha-3 code "
            f"or a country name in Portuguese, Spanish or English"
        )
    return code


def strict_country_code(value: str) -> str:
    """Return an ISO 3166-1 alpha-2 code given as such (any case); names and alpha-3 fail."""
    code = (value or "").strip().upper()
    if len(code) != 2 or not is_country(code):
        raise VocabularyError(
            f"unknown country code {value!r}: expected an ISO 3166-1 alpha-2 code such as 'BR'"
        )
    return code


@lru_cache(maxsize=64)
def _territory_names(language: str) -> dict[str, str]:
    """Return CLDR territory names for a language."""
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError) as exc:
        raise VocabularyError(f"unknown language for country names: {language!r}") from exc


def country_name(code: str, lang: str = "en") -> str:
    """Return the display name of an alpha-2 country code in the given language."""
    if not is_country(code):
        raise VocabularyError(f"unknown country code {code!r}: expected an ISO 3166-1 alpha-2 code")
    name = _territory_names(lang).get(code)
    if name:
        return name
    if code in HISTORIC_COUNTRIES:
        return HISTORIC_COUNTRIES[code]
    return pycountry.countries.get(alpha_2=code).name
