"""Check the coded values Common Metadata uses: language tags, countries, regions, work types."""

from __future__ import annotations

import re

from lxml import etree

from importers.mec.elements import child, text_of
from schemas.vocab import WORK_TYPE_ALIASES, country_code, normalize_language, work_type_from_avails

_TAG_SHAPE = re.compile(r"^(?:[A-Za-z]{2,3}|[xXiI])(?:-[A-Za-z0-9]{1,8})*$")
_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")
_SUBDIVISION = re.compile(r"^([A-Za-z]{2})-[A-Za-z0-9]{1,3}$")
MUSIC_AND_GROUPING_WORK_TYPES = ("Album", "Song", "Ringtone", "Other Music", "Franchise")
WORK_TYPE_SPELLINGS = (*WORK_TYPE_ALIASES, *MUSIC_AND_GROUPING_WORK_TYPES)


def language_tag(text: str) -> str:
    """Return a validated BCP 47 tag in standard form; names such as 'english' are refused."""
    if not text:
        raise ValueError("the language is empty: expected a BCP 47 tag such as 'en' or 'pt-BR'")
    if not _TAG_SHAPE.match(text):
        raise ValueError(f"{text!r} is not a BCP 47 language tag (expected e.g. 'en', 'pt-BR')")
    return normalize_language(text)


def country_alpha2(text: str) -> str:
    """Return an ISO 3166-1 alpha-2 code; Common Metadata allows no other form."""
    if not _ALPHA2.match(text):
        raise ValueError(
            f"{text!r} is not an ISO 3166-1 alpha-2 country code (two letters, e.g. 'US')"
        )
    return country_code(text.upper())


def region_code(region: etree._Element) -> str:
    """Return the country or ISO 3166-2 subdivision a Region-type element names."""
    country = child(region, "country")
    if country is not None:
        return country_alpha2(text_of(country))
    subdivision = child(region, "countryRegion")
    if subdivision is not None:
        text = text_of(subdivision)
        match = _SUBDIVISION.match(text)
        if not match:
            raise ValueError(
                f"countryRegion {text!r} is not an ISO 3166-2 subdivision code "
                f"(country, hyphen, 1-3 characters, e.g. 'CA-QC')"
            )
        return f"{country_alpha2(match.group(1))}-{text.split('-', 1)[1].upper()}"
    raise ValueError("the region names neither a country nor a countryRegion")


def region_source(region: etree._Element) -> etree._Element:
    """Return the element holding a region's code, to point refusals at it."""
    for name in ("country", "countryRegion"):
        found = child(region, name)
        if found is not None:
            return found
    return region


def work_type(text: str) -> str:
    """Return the registry work type of a WorkType value, which must be spelled exactly."""
    if text in WORK_TYPE_ALIASES:
        return work_type_from_avails(text)
    if text in MUSIC_AND_GROUPING_WORK_TYPES:
        return "other"
    known = WORK_TYPE_SPELLINGS
    spelled = next((alias for alias in known if alias.lower() == text.lower()), None)
    if spelled:
        raise ValueError(
            f"WorkType {text!r} is not in the Common Metadata vocabulary, whose values are "
            f"case-sensitive: did you mean {spelled!r}?"
        )
    raise ValueError(
        f"WorkType {text!r} is not in the Common Metadata vocabulary ({', '.join(known)})"
    )


def primary_subtag(tag: str) -> str:
    """Return the primary language subtag of a BCP 47 tag, lower-cased."""
    return tag.split("-", 1)[0].lower()


def region_subtag(tag: str) -> str | None:
    """Return the ISO country a tag's region subtag names (pt-BR -> BR), if any."""
    for subtag in tag.split("-")[1:]:
        if len(subtag) == 1:
            return None
        if _ALPHA2.match(subtag):
            try:
                return country_code(subtag.upper())
            except ValueError:
                return None
    return None
