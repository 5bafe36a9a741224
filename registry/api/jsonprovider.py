"""Serialise API responses with orjson: ISO dates, no key sorting, compact output."""

from __future__ import annotations

import decimal
from typing import Any

import orjson
from flask.json.provider import JSONProvider

_OPTIONS = orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    """Serialise the types orjson leaves out."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"cannot serialise {type(value).__name__} as JSON")


def dump_bytes(obj: Any) -> bytes:
    """Serialise obj as a JSON response body (UTF-8, newline-terminated)."""
    return orjson.dumps(obj, default=_default, option=_OPTIONS | orjson.OPT_APPEND_NEWLINE)


class OrjsonProvider(JSONProvider):
    """Flask JSON provider backed by orjson."""

    mimetype = "application/json"

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialise obj to a JSON string."""
        return orjson.dumps(obj, default=_default, option=_OPTIONS).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse a JSON document."""
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Any:
        """Return a JSON response of the data given, serialised once to bytes."""
        body = dump_bytes(self._prepare_response_obj(args, kwargs))
        return self._app.response_class(body, mimetype=self.mimetype)
