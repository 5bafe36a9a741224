"""Closed vocabularies of the shared schema and the mapping of Avails work types onto them."""

from __future__ import annotations

from schemas.errors import VocabularyError
from schemas.text import fold
from schemas.vocab._data import read_csv

WORK_TYPES: tuple[str, ...] = (
    "movie",
    "short",
    "series",
    "season",
    "episode",
    "tv_movie",
    "miniseries",
    "music_video",
    "other",
)
ROLES: tuple[str, ...] = (
    "director",
    "producer",
    "production_company",
    "coproducer",
    "screenwriter",
    "performer",
    "composer",
    "distributor",
    "broadcaster",
    "applicant",
)
RIGHT_TYPES: tuple[str, ...] = (
    "economic",
    "distribution",
    "remake",
    "derivative",
    "broadcast",
    "other",
)
TITLE_KINDS: tuple[str, ...] = ("original", "local", "alternative", "working", "translated")
LICENSE_STATUSES: tuple[str, ...] = ("active", "expired", "cancelled", "pending")
COPRODUCTION_ROLES: tuple[str, ...] = ("majority", "minority", "financial", "service", "sole")
PARTY_KINDS: tuple[str, ...] = ("person", "organization")

WORK_TYPE_ALIASES: dict[str, str] = {
    row["alias"]: row["work_type"] for row in read_csv("work_type_aliases.csv")
}


def _work_type_key(value: str) -> str:
    """Return value folded with hyphens and underscores read as spaces."""
    return fold(value.replace("_", " ").replace("-", " "))


_WORK_TYPE_BY_KEY = {_work_type_key(work_type): work_type for work_type in WORK_TYPES}
_WORK_TYPE_BY_KEY.update(
    {_work_type_key(alias): work_type for alias, work_type in WORK_TYPE_ALIASES.items()}
)


def work_type_from_avails(value: str) -> str:
    """Return the registry work type for an Avails or Common Metadata WorkType value."""
    work_type = _WORK_TYPE_BY_KEY.get(_work_type_key(value))
    if work_type is None:
        raise VocabularyError(
            f"unknown Avails WorkType {value!r}: expected one of "
            f"{', '.join(WORK_TYPE_ALIASES)} (or a registry work type: {', '.join(WORK_TYPES)})"
        )
    return work_type
