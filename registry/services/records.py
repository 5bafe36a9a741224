"""Source descriptions, outcomes and fingerprints shared by the write services."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

PLACEHOLDER_IDENTIFIERS = frozenset({("br_roe", "E1300000100000")})


@dataclass(frozen=True)
class SourceInfo:
    """Who stated a record: agency, format, the record's key in that format."""

    agency: str
    source_format: str
    key: str
    authoritative: bool = True
    locator: str | None = None


@dataclass(frozen=True)
class UpsertOutcome:
    """What one upsert did: created, updated, unchanged or deleted."""

    action: str
    work_id: int | None


def canonical_dump(aggregate: dict[str, Any]) -> dict[str, Any]:
    """Serialise a loaded aggregate to the same plain data as WORK_AGGREGATE.dump, faster."""
    return _plain(aggregate)


def canonical_json(aggregate: dict[str, Any]) -> str | None:
    """Return canonical_dump(aggregate) as JSON text, or None when only the walk can tell.

    orjson writes dates as ISO text like canonical_dump; an aggregate holding what it does
    not take (a Decimal, a huge integer) or a key canonical_dump drops gets None, and the
    writer dumps it as before.
    """
    try:
        blob = orjson.dumps(aggregate)
    except TypeError:
        return None
    if b'"excluded_territories"' in blob:
        return None
    return blob.decode("utf-8")


def _plain(value: Any) -> Any:
    """Turn dates into ISO strings throughout nested dicts and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "excluded_territories"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def fingerprint(aggregate: dict[str, Any], authoritative: bool) -> str:
    """Return a stable SHA-256 of an aggregate as a source stated it.

    The aggregate may be loaded (dates as date objects) or its canonical dump: dates are
    written as the same ISO text either way, so both give the same fingerprint and a record
    whose fingerprint is unchanged need not be dumped at all.
    """
    text = json.dumps(
        [aggregate, authoritative], sort_keys=True, ensure_ascii=False, default=_iso_date
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso_date(value: Any) -> str:
    """Write a date as canonical_dump does; refuse anything else JSON cannot hold."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{value.__class__.__name__} is not JSON serialisable")


def is_placeholder(scheme: str, value: str) -> bool:
    """Tell whether an identifier is a placeholder that several works share."""
    return (scheme, value) in PLACEHOLDER_IDENTIFIERS
