"""Turn a loaded aggregate into the rows of its facts: tuples for executemany inserts."""

from __future__ import annotations

from typing import Any

from registry.models import (
    Contribution,
    CoProduction,
    Identifier,
    License,
    RightsHolding,
    Title,
    WorkCountry,
)
from registry.services.parties import folded_name, party_id

FACT_TABLES = (Title, Identifier, WorkCountry, Contribution, RightsHolding, License, CoProduction)
HAS_VERIFIED = "verified" in Identifier.__table__.c


def party_refs(agg: dict[str, Any]) -> list[dict[str, Any] | None]:
    """Return every party reference of an aggregate in a fixed order."""
    refs: list[dict[str, Any] | None] = [c["party"] for c in agg["contributions"]]
    refs += [r["holder"] for r in agg["rights"]]
    for lic in agg["licenses"]:
        refs += [lic["licensor"], lic["licensee"]]
    refs += [c["party"] for c in agg["coproductions"]]
    return refs


FACT_COLUMNS: dict[type, tuple[str, ...]] = {
    Title: ("work_id", "source_record_id", "text", "text_folded", "language", "kind", "territory"),
    Identifier: ("work_id", "source_record_id", "scheme", "value")
    + (("verified",) if HAS_VERIFIED else ()),
    WorkCountry: ("work_id", "source_record_id", "country"),
    Contribution: ("work_id", "source_record_id", "party_id", "role", "credit_order"),
    RightsHolding: (
        "work_id", "source_record_id", "holder_party_id", "right_type", "share_pct",
        "territories", "territory_expression", "valid_from", "valid_to",
    ),
    License: (
        "work_id", "source_record_id", "licensor_party_id", "licensee_party_id", "media",
        "territories", "territory_expression", "languages", "exclusive", "start", "end",
        "status", "external_id", "terms",
    ),
    CoProduction: ("work_id", "source_record_id", "party_id", "country", "share_pct", "role"),
}  # fmt: skip
FactRows = dict[type, list[tuple[Any, ...]]]


def identifier_row(
    work_id: int, record_id: int, scheme: str, value: str, verified: bool
) -> tuple[Any, ...]:
    """Return an identifier fact in the order of FACT_COLUMNS[Identifier]."""
    if HAS_VERIFIED:
        return (work_id, record_id, scheme, value, verified)
    return (work_id, record_id, scheme, value)


def fact_rows(
    rows: FactRows,
    work_id: int,
    record_id: int,
    agg: dict[str, Any],
    handles: Any,
) -> None:
    """Append the rows of every fact of an aggregate, consuming party handles in order."""
    titles = rows[Title]
    for t in agg["titles"]:
        text = t["text"]
        titles.append(
            (work_id, record_id, text, folded_name(text), t["language"], t["kind"], t["territory"])
        )
    identifiers = rows[Identifier]
    for i in agg["identifiers"]:
        verified = i.get("verified", True) is not False
        identifiers.append(identifier_row(work_id, record_id, i["scheme"], i["value"], verified))
    countries = rows[WorkCountry]
    for country in agg["countries_of_origin"]:
        countries.append((work_id, record_id, country))
    contributions = rows[Contribution]
    for c in agg["contributions"]:
        party = party_id(next(handles))
        contributions.append((work_id, record_id, party, c["role"], c["credit_order"]))
    for r in agg["rights"]:
        rows[RightsHolding].append(
            (work_id, record_id, party_id(next(handles)), r["right_type"], r["share_pct"],
             r["territories"], r["territory_expression"], r["valid_from"], r["valid_to"])
        )  # fmt: skip
    for lic in agg["licenses"]:
        licensor, licensee = party_id(next(handles)), party_id(next(handles))
        rows[License].append(
            (work_id, record_id, licensor, licensee, lic["media"], lic["territories"],
             lic["territory_expression"], lic["languages"], lic["exclusive"], lic["start"],
             lic["end"], lic["status"], lic["external_id"], _jsonable(lic["terms"]))
        )  # fmt: skip
    for cp in agg["coproductions"]:
        rows[CoProduction].append(
            (work_id, record_id, party_id(next(handles)), cp["country"], cp["share_pct"],
             cp["role"])
        )  # fmt: skip


def _jsonable(value: Any) -> Any:
    """Convert dates and decimals inside free-form terms to JSON-safe values."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return str(value)
    return value
