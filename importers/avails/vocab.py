"""Controlled values of the Avails specification and checks against them."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path

VOCABULARY_FILE = Path(__file__).parent / "xsd" / "vocab_avail_v2.7.json"

UPSERT_ENTRY_TYPES = ("Full Extract", "Create", "Update")
DELETE_ENTRY_TYPES = ("Full Delete", "Delete")
TERM_PREFIX_TPR = "TPR-"

# Values the EMA templates and MovieLabs samples use for LicenseRightsDescription. The
# specification allows other values, so an unknown value is accepted unless it is a near
# miss of one of these (a typo such as "Librry").
KNOWN_RIGHTS_DESCRIPTIONS = (
    "Next Day TV",
    "POD",
    "Library",
    "New Release",
    "Mega-Library",
    "Early EST",
    "Early VOD",
    "Preorder EST",
    "Season Only",
)

# Rating systems whose codes are checked. Systems not listed pass through unchecked.
RATING_VALUES: dict[str, frozenset[str]] = {
    "MPAA": frozenset({"G", "PG", "PG-13", "R", "NC-17", "NR", "X"}),
    "TVPG": frozenset({"TV-Y", "TV-Y7", "TV-Y7-FV", "TV-G", "TV-PG", "TV-14", "TV-MA"}),
}
RATING_REASONS: dict[str, frozenset[str]] = {
    "FPB": frozenset({"B", "D", "H", "L", "N", "P", "S", "SV", "V"}),
    "TVPG": frozenset({"D", "L", "S", "V", "FV"}),
}

PEOPLE_ROLES = {
    "director": "director",
    "producer": "producer",
    "executive producer": "producer",
    "writer": "screenwriter",
    "screenwriter": "screenwriter",
    "actor": "performer",
    "performer": "performer",
    "composer": "composer",
}


@cache
def _vocabulary() -> dict[str, tuple[str, ...]]:
    """Load the MovieLabs Avails vocabulary once."""
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))["avail"]
    return {key: tuple(values) for key, values in data.items()}


def values(name: str) -> tuple[str, ...]:
    """Return the allowed values of one vocabulary entry, e.g. 'FormatProfile'."""
    return _vocabulary()[name]


def check(name: str, value: str, label: str | None = None) -> str | None:
    """Return a reason when value is not in the vocabulary name (case-insensitive), else None."""
    allowed = values(name)
    if value.casefold() in {item.casefold() for item in allowed}:
        return None
    return f"{value!r} is not a known {label or name}: expected one of {', '.join(allowed)}"


def canonical(name: str, value: str) -> str:
    """Return the vocabulary's spelling of value (e.g. 'full extract' -> 'Full Extract')."""
    for item in values(name):
        if item.casefold() == value.casefold():
            return item
    return value


def check_term_name(name: str) -> str | None:
    """Return a reason when a Term's termName is not one the specification defines."""
    if name.startswith(TERM_PREFIX_TPR) or check("Term@termName", name) is None:
        return None
    return f"unknown termName {name!r}: expected one of {', '.join(values('Term@termName'))}"


def check_rights_description(value: str) -> str | None:
    """Return a reason when value looks like a misspelling of a known rights description."""
    known = {item.casefold(): item for item in KNOWN_RIGHTS_DESCRIPTIONS}
    if value.casefold() in known:
        return None
    close = difflib.get_close_matches(value.casefold(), list(known), n=1, cutoff=0.8)
    if close:
        return (
            f"{value!r} is not a known LicenseRightsDescription; did you mean {known[close[0]]!r}?"
        )
    return None


def check_rating(system: str, value: str, reasons: list[str]) -> list[str]:
    """Return the reasons why a rating's value or reason codes are not valid for its system."""
    problems = []
    allowed = RATING_VALUES.get(system.upper())
    if allowed is not None and value.upper() not in allowed:
        problems.append(
            f"{value!r} is not a rating of the {system} system: expected one of "
            f"{', '.join(sorted(allowed))}"
        )
    codes = RATING_REASONS.get(system.upper())
    if codes is not None:
        for reason in reasons:
            if reason.upper() not in codes:
                problems.append(
                    f"{reason!r} is not a reason code of the {system} system: expected "
                    f"one of {', '.join(sorted(codes))}"
                )
    return problems
