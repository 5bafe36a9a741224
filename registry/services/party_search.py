"""Party search: exact in the database (accents and case aside), approximate from the index."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.search.client import search_errors
from registry.search.management import alias_name
from registry.search.queries import build_party_fuzzy
from registry.services.parties_read import party_view, search_parties
from registry.services.read import load_parties

log = logging.getLogger(__name__)


def approximate_party_ids(registry: Registry, q: str, size: int) -> list[int]:
    """Return ids of parties credited, holding rights or licensed under a name close to q."""
    with search_errors():
        result = registry.search.search(
            index=alias_name(registry.index_prefix), **build_party_fuzzy(q, size)
        )
    works = Counter[int]()
    for agg in result.get("aggregations", {}).values():
        for bucket in agg["matching"]["ids"]["buckets"]:
            works[int(bucket["key"])] += int(bucket["doc_count"])
    return [party_id for party_id, _ in works.most_common(size)]


def find_parties(registry: Registry, q: str | None, size: int, offset: int) -> dict[str, Any]:
    """Search parties; when nothing matches q exactly, fall back to approximate names."""
    with registry.sessions() as session:
        exact = search_parties(session, q, size, offset)
        if exact["total"] or not q or offset:
            return {**exact, "approximate": False}
        try:
            ids = approximate_party_ids(registry, q, size)
        except SearchUnavailable as exc:
            log.warning("approximate party search skipped: %s", exc.message)
            return {**exact, "approximate": False}
        items = [party_view(party) for party in load_parties(session, ids)]
        return {"total": len(items), "items": items, "approximate": True}
