"""Turn service answers into the plain values the API answers, with the API's own schemas."""

from __future__ import annotations

from functools import cache
from typing import Any

from marshmallow import Schema


@cache
def _schema(name: str) -> Schema | None:
    """Return an instance of the API response schema with this name, if it is declared."""
    try:
        import schemas.responses as responses
    except ImportError:
        return None
    schema_class = getattr(responses, name, None)
    return schema_class() if schema_class is not None else None


def plain(schema_name: str, answer: Any) -> Any:
    """Serialise a service answer exactly as the API does (as it is when no schema exists)."""
    schema = _schema(schema_name)
    return schema.dump(answer) if schema is not None else answer
