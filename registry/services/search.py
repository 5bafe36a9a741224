"""Run work searches against the index and shape hits, facets and cursors."""

from __future__ import annotations

from typing import Any

from registry.context import Registry
from registry.errors import ValidationFailed
from registry.search.client import search_errors
from registry.search.management import alias_name
from registry.search.queries import build_work_search, encode_cursor


def search_works(registry: Registry, params: dict[str, Any]) -> dict[str, Any]:
    """Search works; return items, total, facets and the cursor of the next page."""
    try:
        body = build_work_search(params)
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"cursor": [str(exc)]}) from exc
    with search_errors():
        result = registry.search.search(index=alias_name(registry.index_prefix), **body)
    hits = result["hits"]["hits"]
    size = body["size"]
    items = [{**hit["_source"], "score": hit.get("_score")} for hit in hits]
    facets = {
        name: [{"value": b["key"], "count": b["doc_count"]} for b in agg["buckets"]]
        for name, agg in result.get("aggregations", {}).items()
    }
    next_cursor = encode_cursor(hits[-1]["sort"]) if len(hits) == size and hits else None
    return {
        "total": result["hits"]["total"]["value"],
        "total_relation": result["hits"]["total"]["relation"],
        "items": items,
        "facets": facets,
        "next_cursor": next_cursor,
    }
