"""Keep a work's index document within what Elasticsearch accepts, however many facts it has.

Elasticsearch refuses a document with more than 10,000 nested objects
(`index.mapping.nested_objects.limit`). A work reaches that when thousands of records are
placed in it (records repeating one identifier) or when one title carries thousands of
avails. Such a document is first made smaller without changing what any search finds: rights
stated again are kept once, and licences that differ only in their territories become one
licence over all of them (a nested licence matches when media, territory and window match
together, so a union along one field alone finds the same works). Only if it is still too
large are the longest lists cut, oldest facts kept, and a warning logged; the database, the
work's page and its availability keep every fact.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

log = logging.getLogger(__name__)

MAX_NESTED = 9_000  # under Elasticsearch's 10,000, with room for the nested fields of facets
NESTED = ("titles", "contributors", "rights", "licenses")


def bound_nested(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document with at most MAX_NESTED nested objects (the same one when it fits)."""
    if _count(document) <= MAX_NESTED:
        return document
    before = {name: len(document[name]) for name in NESTED}
    document["rights"] = _distinct(document["rights"])
    document["licenses"] = _licences_by_territory(document["licenses"])
    excess = _count(document) - MAX_NESTED
    while excess > 0:
        longest = max(NESTED, key=lambda name: len(document[name]))
        keep = max(len(document[longest]) - excess, 0)
        document[longest] = document[longest][:keep]
        excess = _count(document) - MAX_NESTED
    after = {name: len(document[name]) for name in NESTED}
    log.warning(
        "work %s: index document bounded to %s nested objects (%s before, %s after)",
        document.get("work_id"),
        MAX_NESTED,
        before,
        after,
    )
    return document


def _count(document: dict[str, Any]) -> int:
    """Return how many nested objects the document holds."""
    return sum(len(document[name]) for name in NESTED)


def _distinct(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each distinct entry once, first occurrence first."""
    seen: dict[bytes, dict[str, Any]] = {}
    for entry in entries:
        seen.setdefault(orjson.dumps(entry, option=orjson.OPT_SORT_KEYS), entry)
    return list(seen.values())


def _licences_by_territory(licences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge licences equal in everything but id and territories; territories united, sorted."""
    merged: dict[bytes, dict[str, Any]] = {}
    for licence in licences:
        rest = {k: v for k, v in licence.items() if k not in ("license_id", "territories")}
        key = orjson.dumps(rest, option=orjson.OPT_SORT_KEYS)
        territories = _items(licence["territories"])
        kept = merged.get(key)
        if kept is None:
            merged[key] = {**licence, "territories": territories}
        else:
            kept["territories"] = sorted(set(kept["territories"]) | set(territories))
    return list(merged.values())


def _items(value: Any) -> list[Any]:
    """Return a list field's items, whether a list or stored JSON embedded as a fragment."""
    return orjson.loads(orjson.dumps(value)) or []
