"""Marshmallow fields that validate and normalise against the registry's vocabularies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError, fields


class Normalized(fields.String):
    """A string passed through a normaliser that raises ValueError on bad input."""

    def __init__(self, normalizer: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.normalizer = normalizer

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Normalise the text or report why it is not acceptable."""
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.normalizer(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class Choice(fields.String):
    """A string that must be one of a vocabulary's values; aliases are not guessed."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Accept only a listed value."""
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            raise ValidationError(f"{text!r} is not one of: {', '.join(self.choices)}")
        return text


class TrimmedString(fields.String):
    """A string with surrounding whitespace removed; empty strings are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Strip the text and refuse it when nothing is left."""
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ValidationError("must not be empty")
        return text
