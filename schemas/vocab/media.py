"""Exploitation media and how Avails licence types and ANCINE market segments map onto them."""

from __future__ import annotations

from schemas.errors import VocabularyError
from schemas.text import fold
from schemas.vocab._data import read_csv

MEDIA: tuple[str, ...] = (
    "theatrical",
    "free_tv",
    "pay_tv",
    "svod",
    "tvod",
    "avod",
    "fvod",
    "est",
    "home_video",
    "other",
)

MEDIA_ALIASES: tuple[dict[str, str], ...] = read_csv("media_aliases.csv")

AVAILS_LICENSE_TYPES_WITHOUT_MEDIUM: dict[str, str] = {
    "pre-release": "an early release window, not a medium; state the medium (EST or VOD)",
    "library": "a catalogue status, not a medium; state the medium (EST, VOD or SVOD)",
}
ANCINE_UNSPECIFIED_SEGMENTS: tuple[str, ...] = ("NENHUMA DAS OPÇÕES", "INDEFINIDO")

_SOURCES = ("avails", "ancine")


def _build_index(source: str) -> dict[str, str]:
    """Return folded alias -> medium for one source, registry names included."""
    index = {fold(medium): medium for medium in MEDIA}
    index.update(
        {fold(row["alias"]): row["media"] for row in MEDIA_ALIASES if row["source"] == source}
    )
    return index


_INDEX = {source: _build_index(source) for source in _SOURCES}
_UNSPECIFIED_SEGMENT_KEYS = frozenset(fold(value) for value in ANCINE_UNSPECIFIED_SEGMENTS)


def _expected(source: str) -> str:
    """Return the aliases of a source as a readable list."""
    return ", ".join(row["alias"] for row in MEDIA_ALIASES if row["source"] == source)


def media_from_avails(value: str) -> str:
    """Return the registry medium for an Avails LicenseType such as EST, VOD or SVOD."""
    key = fold(value)
    medium = _INDEX["avails"].get(key)
    if medium is not None:
        return medium
    if key in AVAILS_LICENSE_TYPES_WITHOUT_MEDIUM:
        raise VocabularyError(
            f"Avails LicenseType {value!r} is {AVAILS_LICENSE_TYPES_WITHOUT_MEDIUM[key]}"
        )
    raise VocabularyError(
        f"unknown Avails LicenseType {value!r}: expected one of {_expected('avails')} "
        f"or a registry medium ({', '.join(MEDIA)})"
    )


def is_unspecified_ancine_segment(value: str) -> bool:
    """Tell whether an ANCINE segment value states that no segment was chosen."""
    return fold(value) in _UNSPECIFIED_SEGMENT_KEYS


def media_from_ancine_segment(value: str) -> str:
    """Return the registry medium for an ANCINE SEGMENTO value, ignoring accents and case."""
    medium = _INDEX["ancine"].get(fold(value))
    if medium is not None:
        return medium
    if is_unspecified_ancine_segment(value):
        raise VocabularyError(f"ANCINE segment {value!r} states no segment: there is no medium")
    raise VocabularyError(
        f"unknown ANCINE SEGMENTO {value!r}: expected one of {_expected('ancine')}"
    )
