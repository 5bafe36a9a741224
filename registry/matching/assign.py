"""Place incoming records into works by hard rules, before any probabilistic linkage."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Identifier
from registry.services.records import is_placeholder


@dataclass(frozen=True)
class Claim:
    """What one incoming record says that can place it in a work."""

    identifiers: tuple[tuple[str, str], ...]
    titles: frozenset[str]


@dataclass(frozen=True)
class Assignment:
    """The existing work of a record, or the group of new records that share one new work."""

    work_id: int | None
    group: int


def assign_works(session: Session, claims: list[Claim]) -> list[Assignment]:
    """Return, per claim, the stored work its identifiers name, or a shared new-work group."""
    wanted = {i for c in claims for i in c.identifiers if not is_placeholder(*i)}
    stored: dict[tuple[str, str], int] = {}
    values = sorted({v for _, v in wanted})
    for start in range(0, len(values), 500):
        rows = session.execute(
            select(Identifier.scheme, Identifier.value, Identifier.work_id)
            .where(Identifier.value.in_(values[start : start + 500]))
            .order_by(Identifier.id)
        )
        for scheme, value, work_id in rows:
            if (scheme, value) in wanted:
                stored.setdefault((scheme, value), work_id)
    groups: dict[tuple[str, str], int] = {}
    out: list[Assignment] = []
    for index, claim in enumerate(claims):
        keys = [i for i in claim.identifiers if not is_placeholder(*i)]
        work_id = next((stored[k] for k in keys if k in stored), None)
        group = next((groups[k] for k in keys if k in groups), index)
        for key in keys:
            groups.setdefault(key, group)
        out.append(Assignment(work_id, group))
    return out
