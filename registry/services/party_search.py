"""Party search: by identifier and name through indexes, then approximate names from the index."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy import select

from registry.context import Registry
from registry.errors import SearchUnavailable, ValidationFailed
from registry.models import Party
from registry.search.client import search_errors
from registry.search.management import alias_name
from registry.search.queries import build_party_names, refused_queries
from registry.services.parties_read import (
    identifier_condition,
    parties_page,
    party_view,
    search_parties,
)
from registry.services.read import load_parties

log = logging.getLogger(__name__)
MAX_INDEXED_PARTIES = 10_000


def indexed_party_ids(registry: Registry, q: str, size: int, fuzzy: bool) -> list[int]:
    """Return ids of parties credited, holding rights or licensed under the name q (or close)."""
    body = build_party_names(q, min(size, MAX_INDEXED_PARTIES), fuzzy)
    try:
        with search_errors(), refused_queries():
            result = registry.search.search(index=alias_name(registry.index_prefix), **body)
    except ValueError as exc:
        raise ValidationFailed("the search could not run", {"q": [str(exc)]}) from exc
    works = Counter[int]()
    for agg in result.get("aggregations", {}).values():
        for bucket in agg["matching"]["ids"]["buckets"]:
            works[int(bucket["key"])] += int(bucket["doc_count"])
    return [party_id for party_id, _ in works.most_common(size)]


def approximate_party_ids(registry: Registry, q: str, size: int) -> list[int]:
    """Return ids of parties whose names are close to q, most credited first."""
    return indexed_party_ids(registry, q, size, fuzzy=True)


def _words_from_index(registry: Registry, q: str, size: int, offset: int) -> dict[str, Any] | None:
    """Find parties by the words of their names in the search index, or None if it is down."""
    try:
        ids = indexed_party_ids(registry, q, max(offset + size, 1000), fuzzy=False)
    except SearchUnavailable as exc:
        log.warning("party search by words skipped: %s", exc.message)
        return None
    with registry.sessions() as session:
        by_identifier = identifier_condition(q)
        if by_identifier is not None:
            found = set(ids)
            ids += [i for i in session.scalars(by_identifier) if i not in found]
        existing = set(session.scalars(select(Party.id).where(Party.id.in_(ids)))) if ids else set()
        ids = [i for i in ids if i in existing]
        items = [party_view(p) for p in load_parties(session, ids[offset : offset + size])]
    return {"total": len(ids), "items": items}


def find_parties(registry: Registry, q: str | None, size: int, offset: int) -> dict[str, Any]:
    """Search parties; when nothing matches q exactly, fall back to approximate names.

    With a q, PostgreSQL finds words inside names with its trigram index; elsewhere the words
    are looked up in the search index (and, while it is down, names starting with q).
    """
    with registry.sessions() as session:
        on_postgres = session.get_bind().dialect.name == "postgresql"
        if not q:
            return {**parties_page(session, select(Party.id), size, offset), "approximate": False}
        exact = search_parties(session, q, size, offset) if on_postgres else None
    if exact is None:
        exact = _words_from_index(registry, q, size, offset)
        if exact is None:
            with registry.sessions() as session:
                exact = search_parties(session, q, size, offset)
    if exact["total"] or offset:
        return {**exact, "approximate": False}
    try:
        ids = approximate_party_ids(registry, q, size)
    except SearchUnavailable as exc:
        log.warning("approximate party search skipped: %s", exc.message)
        return {**exact, "approximate": False}
    with registry.sessions() as session:
        items = [party_view(party) for party in load_parties(session, ids)]
    return {"total": len(items), "items": items, "approximate": True}
