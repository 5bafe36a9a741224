"""Create, swap and delete versioned indices behind aliases."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

MAPPING_VERSION = "v1"


@cache
def load_mapping(name: str = "works", version: str = MAPPING_VERSION) -> dict[str, Any]:
    """Return the settings and mappings of a versioned index definition."""
    text = resources.files("registry.search").joinpath(f"mappings/{name}-{version}.json")
    return json.loads(text.read_text(encoding="utf-8"))


def alias_name(prefix: str, name: str = "works") -> str:
    """Return the alias users query: {prefix}{name}."""
    return f"{prefix}{name}"


def new_index_name(prefix: str, name: str = "works") -> str:
    """Return a fresh versioned, timestamped index name."""
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return f"{prefix}{name}-{MAPPING_VERSION}-{stamp}-{secrets.token_hex(3)}"


def create_index(client: Elasticsearch, index: str, bulk_load: bool = False) -> None:
    """Create an index from the mapping; tuned for bulk loading when asked."""
    body = load_mapping()
    settings = dict(body["settings"])
    if bulk_load:
        settings["refresh_interval"] = "-1"
    client.indices.create(index=index, settings=settings, mappings=body["mappings"])


def current_indices(client: Elasticsearch, alias: str) -> list[str]:
    """Return the indices the alias points to (empty when it does not exist)."""
    try:
        return sorted(client.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


def ensure_index(client: Elasticsearch, prefix: str) -> str:
    """Make sure the works alias exists; return the index behind it."""
    alias = alias_name(prefix)
    existing = current_indices(client, alias)
    if existing:
        return existing[0]
    index = new_index_name(prefix)
    create_index(client, index)
    client.indices.update_aliases(actions=[{"add": {"index": index, "alias": alias}}])
    return index


def swap_alias(client: Elasticsearch, alias: str, new_index: str) -> list[str]:
    """Point the alias at new_index in one atomic call; return the indices it left."""
    old = current_indices(client, alias)
    actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": alias}} for i in old]
    actions.append({"add": {"index": new_index, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    return [i for i in old if i != new_index]


def finish_bulk_load(client: Elasticsearch, index: str) -> None:
    """Restore the normal refresh interval and refresh."""
    client.indices.put_settings(index=index, settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=index)


def delete_indices(client: Elasticsearch, indices: list[str]) -> None:
    """Delete the given indices, ignoring ones already gone."""
    for index in indices:
        client.indices.delete(index=index, ignore_unavailable=True)


def delete_prefix(client: Elasticsearch, prefix: str) -> None:
    """Delete every index whose name starts with prefix (tests and resets)."""
    names = client.indices.get(index=f"{prefix}*", expand_wildcards="all")
    delete_indices(client, sorted(names))


def refresh(client: Elasticsearch, prefix: str) -> None:
    """Make every indexed document of the works alias searchable now."""
    client.indices.refresh(index=alias_name(prefix))
