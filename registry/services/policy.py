"""What a caller may state: records of its own agency only, personal numbers withheld."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from importers.base import ParsedRecord
from registry.services.redaction import PERSONAL_NUMBER_FORMATS, redact_personal_numbers

# Formats whose records may name the agency they come from (the exchange envelope's origin).
ORIGIN_FORMATS = frozenset({"exchange-jsonl"})


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
    records: Iterable[ParsedRecord], source_format: str, claimant: str | None
) -> Iterator[ParsedRecord]:
    """Refuse records claiming an agency other than the claimant's; redact personal numbers."""
    redact = source_format in PERSONAL_NUMBER_FORMATS
    check = claimant is not None and source_format in ORIGIN_FORMATS
    for record in records:
        if redact:
            record.raw = redact_personal_numbers(record.raw)
        if check:
            agency = claimed_agency(record, source_format)
            if agency is not None and agency != claimant:
                record.reject(
                    "origin.agency", f"states {agency}; a client of {claimant} may not write it"
                )
        yield record
