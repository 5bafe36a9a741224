"""What a caller may state: records of its own agency only, personal numbers withheld."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from importers.base import ParsedRecord
from registry.services.redaction import PERSONAL_NUMBER_FORMATS, redact_personal_numbers
from schemas.text import control_problem

# Formats whose records may name the agency they come from (the exchange envelope's origin).
ORIGIN_FORMATS = frozenset({"exchange-jsonl"})
# Formats whose records state `authoritative` in the data: there the flag may only lower the
# authority configuration gives (services/authority.py); other formats state it per format.
DATA_AUTHORITY_FORMATS = frozenset({"exchange-jsonl", "exchange-csv"})
Authority = Callable[[dict[str, Any]], bool]


def claimed_agency(record: ParsedRecord, source_format: str) -> str | None:
    """Return the agency a record says it comes from, if its format can say so."""
    if source_format not in ORIGIN_FORMATS or not record.raw.startswith("{"):
        return None
    try:
        origin = orjson.loads(record.raw).get("origin")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    agency = origin.get("agency") if isinstance(origin, dict) else None
    return agency if isinstance(agency, str) else None


def screen(
    records: Iterable[ParsedRecord],
    source_format: str,
    claimant: str | None,
    authority: Authority | None = None,
) -> Iterator[ParsedRecord]:
    """Refuse foreign claims and keys with control characters, redact numbers, apply authority."""
    redact = source_format in PERSONAL_NUMBER_FORMATS
    check = claimant is not None and source_format in ORIGIN_FORMATS
    cap = authority if source_format in DATA_AUTHORITY_FORMATS else None
    for record in records:
        problem = control_problem(record.key) if record.key else None
        if problem is not None:  # a key names the record for good: PostgreSQL cannot hold NUL
            record.reject("key", problem)
        if cap and record.authoritative and isinstance(record.data, dict):
            record.authoritative = cap(record.data)
        if redact:
            record.raw = redact_personal_numbers(record.raw)
        if check:
            agency = claimed_agency(record, source_format)
            if agency is not None and agency != claimant:
                record.reject(
                    "origin.agency", f"states {agency}; a client of {claimant} may not write it"
                )
        yield record
