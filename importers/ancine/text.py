"""Folding and cell parsing remembered across rows: ANCINE files repeat most of their values."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from schemas.text import fold as fold_text

T = TypeVar("T")
CACHED_VALUES = 1 << 14


@lru_cache(maxsize=CACHED_VALUES)
def fold(text: str | None) -> str:
    """Return schemas.text.fold of text, remembering recent answers."""
    return fold_text(text)


def remembered(parser: Callable[[str], T]) -> Callable[[str], T]:
    """Return parser remembering its recent answers, refusals (ValueError) included."""

    @lru_cache(maxsize=CACHED_VALUES)
    def attempt(text: str) -> tuple[T | None, str | None]:
        """Return (value, None) or (None, the refusal's message)."""
        try:
            return parser(text), None
        except ValueError as exc:
            return None, str(exc)

    def parse(text: str) -> T:
        """Parse text as parser does."""
        value, refusal = attempt(text)
        if refusal is not None:
            raise ValueError(refusal)
        return value  # type: ignore[return-value]

    return parse
