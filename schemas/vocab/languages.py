"""Validate BCP 47 language tags against the IANA subtag registry and standardise them."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import langcodes
import pycountry

from schemas.errors import VocabularyError
from schemas.text import fold

_PRIVATE_USE_REGIONS = ("AA", "QM..QZ", "XA..XZ", "ZZ")
_NAME_LANGUAGES = ("pt", "es", "en")


class _Registry:
    """The subtags of the IANA language subtag registry shipped with langcodes."""

    def __init__(self, text: str) -> None:
        """Index the registry's records by type, keeping ranges such as qaa..qtz apart."""
        self.subtags: dict[str, set[str]] = {}
        self.ranges: dict[str, list[tuple[str, str]]] = {}
        self.whole_tags: set[str] = set()
        for record in text.split("\n%%\n"):
            fields = dict(
                line.split(": ", 1)
                for line in record.splitlines()
                if ": " in line and line[0] != " "
            )
            kind = fields.get("Type")
            if kind in ("grandfathered", "redundant"):
                self.whole_tags.add(fields["Tag"].lower())
            elif kind and "Subtag" in fields:
                subtag = fields["Subtag"].lower()
                if ".." in subtag:
                    low, high = subtag.split("..")
                    self.ranges.setdefault(kind, []).append((low, high))
                else:
                    self.subtags.setdefault(kind, set()).add(subtag)

    def knows(self, kind: str, subtag: str) -> bool:
        """Tell whether subtag is registered (or in a registered range) under kind."""
        subtag = subtag.lower()
        if subtag in self.subtags.get(kind, ()):
            return True
        return any(
            len(low) == len(subtag) and low <= subtag <= high
            for low, high in self.ranges.get(kind, ())
        )


@cache
def _registry() -> _Registry:
    """Load the IANA registry once."""
    text = resources.files("langcodes").joinpath("data", "language-subtag-registry.txt")
    return _Registry(text.read_text(encoding="utf-8"))


def _is_private_region(region: str) -> bool:
    """Tell whether a region subtag is reserved for private use."""
    region = region.upper()
    for entry in _PRIVATE_USE_REGIONS:
        low, _, high = entry.partition("..")
        if low <= region <= (high or low):
            return True
    return False


@cache
def _language_names() -> dict[str, str]:
    """Return folded language names in Portuguese, Spanish, English and natively -> code."""
    names: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if not code:
            continue
        tag = langcodes.Language.get(code)
        for display_language in (*_NAME_LANGUAGES, code):
            names.setdefault(fold(tag.display_name(display_language)), code)
    return names


def _check_language(original: str, subtag: str) -> None:
    """Raise unless the primary language subtag is registered."""
    if _registry().knows("language", subtag):
        return
    known = pycountry.languages.get(alpha_3=subtag.lower()) or pycountry.languages.get(
        bibliographic=subtag.lower()
    )
    short = getattr(known, "alpha_2", None) if known else None
    if short:
        raise VocabularyError(
            f"language {original!r}: BCP 47 uses the two-letter code {short!r} for "
            f"{known.name}, not {subtag!r}"
        )
    raise VocabularyError(f"language {original!r}: {subtag!r} is not a known language code")


def _check_subtags(original: str, subtags: list[str]) -> None:
    """Raise unless every extlang, script, region and variant subtag is registered."""
    registry = _registry()
    for subtag in subtags:
        if len(subtag) == 1:
            return
        if re.fullmatch(r"[A-Za-z]{3}", subtag):
            if registry.knows("extlang", subtag):
                continue
            region = pycountry.countries.get(alpha_3=subtag.upper())
            hint = f": region subtags are two letters, e.g. {region.alpha_2!r}" if region else ""
            raise VocabularyError(f"language {original!r}: unknown subtag {subtag!r}{hint}")
        if re.fullmatch(r"[A-Za-z]{4}", subtag):
            kind = "script"
        elif re.fullmatch(r"[A-Za-z]{2}|\d{3}", subtag):
            kind = "region"
            if _is_private_region(subtag):
                raise VocabularyError(
                    f"language {original!r}: region {subtag!r} is reserved for private use"
                )
        else:
            kind = "variant"
        if not registry.knows(kind, subtag):
            raise VocabularyError(f"language {original!r}: {subtag!r} is not a known {kind}")


@lru_cache(maxsize=4096)
def normalize_language(tag: str) -> str:
    """Return a validated BCP 47 tag in standard form (en-us -> en-US, pt_br -> pt-BR)."""
    text = (tag or "").strip().replace("_", "-")
    if not text:
        raise VocabularyError("language is empty: expected a BCP 47 tag such as 'pt-BR'")
    if text.lower() in _registry().whole_tags:
        return langcodes.standardize_tag(text)
    subtags = text.split("-")
    if re.fullmatch(r"[A-Za-z]{2,3}", subtags[0]):
        _check_language(tag, subtags[0])
    if not langcodes.tag_is_valid(text):
        raise VocabularyError(
            f"language {tag!r} is not a well-formed BCP 47 tag: expected e.g. 'en', 'pt-BR', "
            f"'es-419' or 'zh-Hant-TW'"
        )
    if subtags[0].lower() != "x":
        _check_language(tag, subtags[0])
        _check_subtags(tag, subtags[1:])
    return langcodes.standardize_tag(text)


@lru_cache(maxsize=1024)
def language_from_name(name: str) -> str:
    """Return the language code for a name in Portuguese, Spanish, English or the language."""
    code = _language_names().get(fold(name or ""))
    if code is None:
        raise VocabularyError(
            f"unknown language name {name!r}: expected a name such as 'Português', 'Español' "
            f"or 'English'"
        )
    return code
