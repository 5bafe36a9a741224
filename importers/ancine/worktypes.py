"""Map ANCINE work types, temporal organisation and duration onto registry work types."""

from __future__ import annotations

from importers.ancine.text import fold

SHORT_MAX_MINUTES = 15.0
MEDIUM_MAX_MINUTES = 70.0
FEATURE_TYPES = frozenset({"ficcao", "documentario", "animacao"})
UNCLASSIFIED_TYPES = frozenset({"nao classificada", "nao informado", "indefinido"})


def is_serial(organization: str | None) -> bool:
    """Tell whether ORGANIZACAO_TEMPORAL says the work is serialised (SERIADA ...)."""
    return fold(organization).startswith("seriada")


def length_class(minutes: float | None) -> str | None:
    """Return ANCINE's length class: curta (<= 15 min), média (<= 70 min) or longa-metragem."""
    if minutes is None:
        return None
    if minutes <= SHORT_MAX_MINUTES:
        return "curta-metragem"
    return "média-metragem" if minutes <= MEDIUM_MAX_MINUTES else "longa-metragem"


def work_type(kind: str | None, organization: str | None, minutes: float | None) -> str | None:
    """Return movie, short, series, music_video or other; None when ANCINE does not say."""
    kind_key = fold(kind)
    if not kind_key or kind_key in UNCLASSIFIED_TYPES:
        return None
    if is_serial(organization):
        return "series"
    if kind_key == "videomusical":
        return "music_video"
    if kind_key in FEATURE_TYPES:
        if not organization or minutes is None:
            return None
        return "short" if minutes <= SHORT_MAX_MINUTES else "movie"
    return "other"
