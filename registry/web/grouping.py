"""Show a fact stated by many records once, with every source that states it."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Statement:
    """One source (agency, file, import) and how many of its records state a fact."""

    agency: str | None
    import_batch: int | None
    file: str | None
    records: int = 0


@dataclass
class Fact:
    """A fact as shown once, with the statements behind it."""

    value: dict[str, Any]
    statements: list[Statement] = field(default_factory=list)


def group_facts(
    items: list[dict[str, Any]],
    key: Callable[[dict[str, Any]], Hashable],
    files: dict[int, dict[str, Any]],
) -> list[Fact]:
    """Merge facts with the same key, in first-seen order, counting the records per source."""
    facts: dict[Hashable, Fact] = {}
    for item in items:
        fact = facts.setdefault(key(item), Fact(value=item))
        source = item.get("source") or {}
        file = (files.get(source.get("record_id")) or {}).get("file")
        where = (source.get("agency"), source.get("import_batch"), file)
        for statement in fact.statements:
            if (statement.agency, statement.import_batch, statement.file) == where:
                statement.records += 1
                break
        else:
            fact.statements.append(Statement(*where, records=1))
    return list(facts.values())


def party_key(item: dict[str, Any]) -> Hashable:
    """Key a credit or co-production by its party and role (and country)."""
    party = item.get("party") or {}
    return (party.get("id"), party.get("name"), item.get("role"), item.get("country"))


def title_key(item: dict[str, Any]) -> Hashable:
    """Key a title by its text, language, kind and territory."""
    return (item.get("text"), item.get("language"), item.get("kind"), item.get("territory"))


def identifier_key(item: dict[str, Any]) -> Hashable:
    """Key an identifier by scheme and value."""
    return (item.get("scheme"), item.get("value"))


def country_key(item: dict[str, Any]) -> Hashable:
    """Key a country of origin by its code."""
    return item.get("country")


def grouped_work(detail: dict[str, Any], files: dict[int, dict[str, Any]]) -> dict[str, list[Fact]]:
    """Return the work's short fact lists, each fact once with its sources."""
    return {
        "titles": group_facts(detail.get("titles") or [], title_key, files),
        "identifiers": group_facts(detail.get("identifiers") or [], identifier_key, files),
        "countries": group_facts(detail.get("countries") or [], country_key, files),
        "contributions": group_facts(detail.get("contributions") or [], party_key, files),
        "coproductions": group_facts(detail.get("coproductions") or [], party_key, files),
    }
