"""Marshmallow fields that validate and normalise against the registry's vocabularies.

Every text field has a maximum length and every free-form object a maximum depth and size, so
that one record can never carry more than the database columns and the search index hold.
The limits are listed, with what happens when one is exceeded, in docs/limits.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError, fields, validate

from schemas.text import control_problem, fold

MAX_TITLE_LENGTH = 1000
MAX_KEY_LENGTH = 300
MAX_NAME_LENGTH = 500
MAX_SCHEME_LENGTH = 64
MAX_IDENTIFIER_LENGTH = 300
MAX_CODE_LENGTH = 100
MAX_LANGUAGE_TAG_LENGTH = 35
MAX_TEXT_LENGTH = 500
MAX_LIST_ITEMS = 5000
MAX_FREE_FORM_DEPTH = 8
MAX_FREE_FORM_BYTES = 64 * 1024
MAX_FREE_FORM_KEY_LENGTH = 200
ERROR_PREVIEW = 80


def preview(text: str) -> str:
    """Return text cut short for an error message, so long input never floods a report."""
    return repr(text) if len(text) <= ERROR_PREVIEW else repr(text[:ERROR_PREVIEW] + "…")


def check_length(text: str, limit: int) -> str:
    """Return text when it fits the limit and holds no control character, or say why not."""
    if len(text) > limit:
        raise ValidationError(f"longer than {limit} characters ({len(text)} given)")
    check_controls(text)
    return text


def check_controls(text: str) -> None:
    """Refuse text holding a control character (tab and line breaks aside), naming it."""
    problem = control_problem(text)
    if problem is not None:
        raise ValidationError(problem)


class BoundedString(fields.String):
    """A string refused, with its length, when it is longer than max_length."""

    def __init__(self, max_length: int = MAX_TEXT_LENGTH, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.validators.append(validate.Length(max=max_length))  # documents maxLength

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Refuse text over the limit before anything else reads it."""
        return check_length(super()._deserialize(value, attr, data, **kwargs), self.max_length)


class Normalized(BoundedString):
    """A string passed through a normaliser that raises ValueError on bad input."""

    def __init__(
        self, normalizer: Callable[[str], str], max_length: int = MAX_CODE_LENGTH, **kwargs: Any
    ) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.normalizer = normalizer

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Normalise the text or report why it is not acceptable."""
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.normalizer(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class Choice(BoundedString):
    """A string that must be one of a vocabulary's values; aliases are not guessed."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(max_length=MAX_CODE_LENGTH, **kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Accept only a listed value."""
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            raise ValidationError(f"{preview(text)} is not one of: {', '.join(self.choices)}")
        return text


class TrimmedString(BoundedString):
    """A string with surrounding whitespace removed; empty strings are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Strip the text and refuse it when nothing is left."""
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ValidationError("must not be empty")
        return text


class FoldedName(TrimmedString):
    """A trimmed name whose search form (folded: accents dropped, case folded) also fits.

    Folding can lengthen text ('ß' becomes 'ss'), and the folded form is stored beside the name.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        """Refuse a name whose folded form is longer than the limit."""
        text = super()._deserialize(value, attr, data, **kwargs)
        folded = len(fold(text))
        if folded > self.max_length:
            raise ValidationError(
                f"longer than {self.max_length} characters once folded for search ({folded})"
            )
        return text


class BoundedList(fields.List):
    """A list refused, with its length, when it holds more than max_items."""

    def __init__(self, inner: Any, max_items: int = MAX_LIST_ITEMS, **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self.max_items = max_items
        self.validators.append(validate.Length(max=max_items))  # documents maxItems

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        """Refuse an over-long list before reading its items."""
        if isinstance(value, list | tuple) and len(value) > self.max_items:
            raise ValidationError(f"more than {self.max_items} items ({len(value)} given)")
        return super()._deserialize(value, attr, data, **kwargs)


def check_free_form(value: Any) -> None:
    """Refuse a free-form JSON value that is too deep, too large or has over-long keys.

    The walk keeps its own stack, so a value nested thousands of levels deep is measured and
    refused instead of exhausting Python's call stack.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= MAX_FREE_FORM_DEPTH:
                raise ValidationError(
                    f"nested deeper than {MAX_FREE_FORM_DEPTH} levels of objects and lists"
                )
            if isinstance(item, dict):
                for key in item:
                    if isinstance(key, str) and len(key) > MAX_FREE_FORM_KEY_LENGTH:
                        raise ValidationError(
                            f"a key is longer than {MAX_FREE_FORM_KEY_LENGTH} characters"
                        )
                    if isinstance(key, str):
                        check_controls(key)
                children = item.values()
            else:
                children = item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, str):
            check_controls(item)
    try:
        size = len(json.dumps(value, ensure_ascii=False, default=str).encode("utf-8"))
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"not JSON data: {exc}") from exc
    if size > MAX_FREE_FORM_BYTES:
        raise ValidationError(
            f"larger than {MAX_FREE_FORM_BYTES // 1024} KiB as JSON ({size} bytes given)"
        )


class FreeForm(fields.Dict):
    """A JSON object of free-form facts, bounded in depth, size and key length."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(keys=fields.String(), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        """Measure the object without recursion, then load it as a dict."""
        if isinstance(value, dict):
            check_free_form(value)
        return super()._deserialize(value, attr, data, **kwargs)
