"""Turn a loaded aggregate into the rows of its facts, ready for executemany inserts."""

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


def fact_rows(
    rows: dict[type, list[dict[str, Any]]],
    work_id: int,
    record_id: int,
    agg: dict[str, Any],
    handles: Any,
) -> None:
    """Append the rows of every fact of an aggregate, consuming party handles in order."""
    base = {"work_id": work_id, "source_record_id": record_id}
    for t in agg["titles"]:
        rows[Title].append(
            {
                **base,
                "text": t["text"],
                "text_folded": folded_name(t["text"]),
                "language": t["language"],
                "kind": t["kind"],
                "territory": t["territory"],
            }
        )
    for i in agg["identifiers"]:
        row = {**base, "scheme": i["scheme"], "value": i["value"]}
        if HAS_VERIFIED:
            row["verified"] = i.get("verified", True) is not False
        rows[Identifier].append(row)
    for country in agg["countries_of_origin"]:
        rows[WorkCountry].append({**base, "country": country})
    for c in agg["contributions"]:
        rows[Contribution].append(
            {
                **base,
                "party_id": party_id(next(handles)),
                "role": c["role"],
                "credit_order": c["credit_order"],
            }
        )
    for r in agg["rights"]:
        rows[RightsHolding].append(
            {
                **base,
                "holder_party_id": party_id(next(handles)),
                "right_type": r["right_type"],
                "share_pct": r["share_pct"],
                "territories": r["territories"],
                "territory_expression": r["territory_expression"],
                "valid_from": r["valid_from"],
                "valid_to": r["valid_to"],
            }
        )
    for lic in agg["licenses"]:
        licensor, licensee = party_id(next(handles)), party_id(next(handles))
        rows[License].append(
            {
                **base,
                "licensor_party_id": licensor,
                "licensee_party_id": licensee,
                "media": lic["media"],
                "territories": lic["territories"],
                "territory_expression": lic["territory_expression"],
                "languages": lic["languages"],
                "exclusive": lic["exclusive"],
                "start": lic["start"],
                "end": lic["end"],
                "status": lic["status"],
                "external_id": lic["external_id"],
                "terms": _jsonable(lic["terms"]),
            }
        )
    for cp in agg["coproductions"]:
        rows[CoProduction].append(
            {
                **base,
                "party_id": party_id(next(handles)),
                "country": cp["country"],
                "share_pct": cp["share_pct"],
                "role": cp["role"],
            }
        )


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
