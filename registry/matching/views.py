"""What readers of a linked work need: its survivor, and where its members disagree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Party, RightsHolding, SourceRecord, Work, WorkCountry

MAX_HOPS = 32


def survivor_of(session: Session, work_id: int) -> int:
    """Return the work that answers for work_id (itself unless merged into another)."""
    current = work_id
    for _ in range(MAX_HOPS):
        target = session.scalar(select(Work.merged_into).where(Work.id == current))
        if target is None or target == current:
            return current
        current = target
    return current


def linked_conflicts(session: Session, work_id: int) -> list[dict[str, Any]]:
    """List where the linked records of a work disagree: countries, holders and shares.

    Only records that state the field take part; each claim names the records stating it.
    """
    records = list(session.scalars(select(SourceRecord.id).where(SourceRecord.work_id == work_id)))
    if len(records) < 2:
        return []
    countries: dict[int, set[str]] = {}
    for record_id, country in session.execute(
        select(WorkCountry.source_record_id, WorkCountry.country).where(
            WorkCountry.work_id == work_id
        )
    ):
        countries.setdefault(record_id, set()).add(country)
    holders: dict[int, set[str]] = {}
    shares: dict[int, set[str]] = {}
    for record_id, name, right, share in session.execute(
        select(
            RightsHolding.source_record_id,
            Party.name,
            RightsHolding.right_type,
            RightsHolding.share_pct,
        )
        .join(Party, Party.id == RightsHolding.holder_party_id)
        .where(RightsHolding.work_id == work_id)
    ):
        holders.setdefault(record_id, set()).add(name)
        if share is not None:
            shares.setdefault(record_id, set()).add(f"{name} {right} {share:g}%")
    out = []
    for field, stated in (
        ("countries_of_origin", countries),
        ("rights_holders", holders),
        ("rights_shares", shares),
    ):
        claims: dict[str, list[int]] = {}
        for record_id, values in sorted(stated.items()):
            claims.setdefault(", ".join(sorted(values)), []).append(record_id)
        if len(claims) > 1:
            out.append(
                {
                    "field": field,
                    "claims": [
                        {"value": v, "source_records": ids} for v, ids in sorted(claims.items())
                    ],
                }
            )
    return out
