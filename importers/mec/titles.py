"""Turn LocalizedInfo elements into titles with a language, kind and territory."""

from __future__ import annotations

from typing import Any

from lxml import etree

from importers.mec.elements import child_text, children, text_of
from importers.mec.reader import RecordReader
from importers.mec.values import language_tag, primary_subtag, region_subtag
from schemas.text import fold

DISPLAY_TITLE_ELEMENTS = ("TitleDisplayUnlimited", "TitleDisplay60", "TitleDisplay19", "TitleSort")


def _display_title(info: etree._Element) -> str:
    """Return the fullest display title of a LocalizedInfo, the sort title as a last resort."""
    for name in DISPLAY_TITLE_ELEMENTS:
        text = child_text(info, name)
        if text:
            return text
    return ""


def is_default(info: etree._Element) -> bool:
    """Tell whether a LocalizedInfo is flagged as the default one."""
    return (info.get("default") or "").strip().lower() in ("true", "1")


def _original_title(infos: list[etree._Element]) -> str | None:
    """Return the OriginalTitle, preferring the default LocalizedInfo's."""
    ordered = sorted(infos, key=lambda info: not is_default(info))
    for info in ordered:
        text = child_text(info, "OriginalTitle")
        if text:
            return text
    return None


def _kind(
    language: str | None, default: bool, text: str, originals: list[str], original: str | None
) -> tuple[str, str | None]:
    """Return the title kind and territory of a localized display title."""
    original_subtags = {primary_subtag(tag) for tag in originals}
    same_language = bool(language and primary_subtag(language) in original_subtags)
    names_original = original is None or fold(text) == fold(original)
    if default and names_original and (same_language or not originals):
        return "original", None
    territory = region_subtag(language) if language else None
    if territory:
        return "local", territory
    if same_language or not language:
        return "alternative", None
    return "translated", None


def read_titles(reader: RecordReader, originals: list[str]) -> list[dict[str, Any]]:
    """Return every title the LocalizedInfo elements give, without repeats."""
    infos = children(reader.element, "LocalizedInfo")
    original = _original_title(infos)
    titles: list[dict[str, Any]] = []
    for info in infos:
        raw_language = (info.get("language") or "").strip()
        language = reader.checked(info, language_tag, raw_language, attribute="language")
        text = _display_title(info)
        if text:
            kind, territory = _kind(language, is_default(info), text, originals, original)
            titles.append(
                {"text": text, "language": language, "kind": kind, "territory": territory}
            )
        for alternate in children(info, "TitleAlternate"):
            if text_of(alternate):
                titles.append(
                    {
                        "text": text_of(alternate),
                        "language": language,
                        "kind": "alternative",
                        "territory": None,
                    }
                )
    if original and not any(
        t["kind"] == "original" and fold(t["text"]) == fold(original) for t in titles
    ):
        language = originals[0] if len(originals) == 1 else None
        titles.insert(
            0, {"text": original, "language": language, "kind": "original", "territory": None}
        )
    return _unique(titles)


def _unique(titles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop titles repeated with the same text, language, kind and territory."""
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for title in titles:
        key = (fold(title["text"]), title["language"], title["kind"], title["territory"])
        if key not in seen:
            seen.add(key)
            unique.append(title)
    return unique
