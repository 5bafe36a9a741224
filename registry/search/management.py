"""Create, swap and delete versioned indices behind aliases."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError

# v2: every keyword field has ignore_above, so one long value cannot make the node refuse a work.
MAPPING_VERSION = "v2"


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


def initial_index_name(prefix: str, name: str = "works") -> str:
    """Return the fixed name of the first index behind an alias, the same in every process."""
    return f"{prefix}{name}-{MAPPING_VERSION}-initial"


def mapping_version(prefix: str, index: str, name: str = "works") -> str | None:
    """Return the mapping version an index was created with, read from its name."""
    rest = index.removeprefix(f"{prefix}{name}-")
    return rest.split("-", 1)[0] if rest != index else None


def create_index(
    client: Elasticsearch, index: str, bulk_load: bool = False, alias: str | None = None
) -> None:
    """Create an index from the mapping (with the alias, in the same request, when given)."""
    body = load_mapping()
    settings = dict(body["settings"])
    if bulk_load:
        settings["refresh_interval"] = "-1"
    aliases = {alias: {}} if alias else None
    client.indices.create(
        index=index, settings=settings, mappings=body["mappings"], aliases=aliases
    )


def current_indices(client: Elasticsearch, alias: str) -> list[str]:
    """Return the indices the alias points to (empty when it does not exist)."""
    try:
        return sorted(client.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


def ensure_index(client: Elasticsearch, prefix: str) -> str:
    """Make sure the works alias points at exactly one index; return that index.

    Every process creates the same first index, with its alias in the same request, so two
    processes starting on a fresh node cannot leave the alias on two indices.
    """
    alias = alias_name(prefix)
    existing = current_indices(client, alias)
    if len(existing) == 1:
        return existing[0]
    if existing:
        return _keep_one(client, prefix, existing)
    index = initial_index_name(prefix)
    try:
        create_index(client, index, alias=alias)
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":
            raise
        if not current_indices(client, alias):
            swap_alias(client, alias, index)
        return ensure_index(client, prefix)
    return index


def _keep_one(client: Elasticsearch, prefix: str, indices: list[str]) -> str:
    """Leave the alias on one index (a rebuilt one before the first), atomically."""
    initial = initial_index_name(prefix)
    keep = next((i for i in reversed(indices) if i != initial), indices[0])
    swap_alias(client, alias_name(prefix), keep)
    return keep


def swap_alias(client: Elasticsearch, alias: str, new_index: str) -> list[str]:
    """Point the alias at new_index alone in one atomic call; return the indices it left.

    The removal names every index of the alias's family, so an index another process pointed
    the alias at meanwhile is dropped from it too.
    """
    old = current_indices(client, alias)
    family = f"{alias}-*" if new_index.startswith(f"{alias}-") else None
    removed = [family] if family else []
    removed += [i for i in old if not (family and i.startswith(f"{alias}-"))]
    actions: list[dict[str, Any]] = [
        {"remove": {"index": i, "alias": alias, "must_exist": False}} for i in removed
    ]
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
