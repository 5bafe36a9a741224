"""Run work searches against the index and shape hits, facets and cursors."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from config import Settings
from registry.context import Registry
from registry.errors import ValidationFailed
from registry.search.client import search_errors
from registry.search.management import alias_name
from registry.search.queries import (
    build_work_search,
    decode_cursor,
    encode_cursor,
    refused_queries,
    sort_key,
)
from schemas.responses import WorkSearchItemSchema

SECRET_FILE = "cursor-secret"
ITEM_FIELDS = tuple(WorkSearchItemSchema().fields)


def cursor_secret(settings: Settings) -> bytes:
    """Return the key signing cursors: the configured one, else this instance's own."""
    if settings.cursor_secret:
        return settings.cursor_secret.encode()
    return _instance_secret(Path(settings.instance_path))


@lru_cache(maxsize=8)
def _instance_secret(instance: Path) -> bytes:
    """Read, or create once, the random secret kept in the instance folder (mode 0600)."""
    path = instance / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_urlsafe(32).encode())
    return path.read_bytes().strip()


def cursor_values(settings: Settings, cursor: str, kind: str) -> list[Any]:
    """Return the position a cursor holds, or raise ValidationFailed naming the cursor."""
    try:
        return decode_cursor(cursor, cursor_secret(settings), kind)
    except ValueError as exc:
        raise ValidationFailed("invalid cursor", {"cursor": [str(exc)]}) from exc


def search_item(hit: dict[str, Any]) -> dict[str, Any]:
    """Return a hit in the documented item shape, every field present, in the schema's order.

    The shape is the response schema's own, so dumping it through the schema changes nothing:
    the fast path can send it as it is and still answer byte for byte like the Flask view.
    """
    source = {**hit["_source"], "id": hit["_source"].get("work_id"), "score": hit.get("_score")}
    return {name: source.get(name) for name in ITEM_FIELDS}


def search_works(registry: Registry, params: dict[str, Any]) -> dict[str, Any]:
    """Search works; return items, total, facets and the cursor of the next page."""
    kind = f"works:{sort_key(params)}"
    cursor = params.get("cursor")
    after = cursor_values(registry.settings, cursor, kind) if cursor else None
    try:
        body = build_work_search(params, after)
    except ValueError as exc:
        raise ValidationFailed("invalid cursor", {"cursor": [str(exc)]}) from exc
    try:
        with search_errors(), refused_queries():
            result = registry.search.search(index=alias_name(registry.index_prefix), **body)
    except ValueError as exc:
        raise ValidationFailed("the search could not run", {"query": [str(exc)]}) from exc
    hits = result["hits"]["hits"]
    size = body["size"]
    items = [search_item(hit) for hit in hits]
    facets = {
        name: [{"value": b["key"], "count": b["doc_count"]} for b in agg["buckets"]]
        for name, agg in result.get("aggregations", {}).items()
    }
    next_cursor = (
        encode_cursor(hits[-1]["sort"], cursor_secret(registry.settings), kind)
        if len(hits) == size and hits
        else None
    )
    return {
        "total": result["hits"]["total"]["value"],
        "total_relation": result["hits"]["total"]["relation"],
        "items": items,
        "facets": facets,
        "next_cursor": next_cursor,
    }
