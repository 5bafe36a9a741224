"""Place incoming records into works by hard rules, before any probabilistic linkage."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.matching.rules import EXCLUSIVE_SCHEMES, conflicts, usable
from registry.models import Identifier

BATCH = 500


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
    """Return, per claim, the stored work its identifiers name, or a shared new-work group.

    Only verified, non-placeholder identifiers are evidence; a record never joins a work (stored
    or new) that holds another value of an exclusive scheme (EIDR, ISAN, CPB, ROE) it carries.
    """
    keys_of = [sorted({i for i in c.identifiers if usable(*i)}) for c in claims]
    stored = _stored_works(session, {k for keys in keys_of for k in keys})
    held = _exclusive_values(session, {w for w in stored.values()})
    group_of: dict[tuple[str, str], int] = {}
    group_held: dict[int, set[tuple[str, str]]] = {}
    out: list[Assignment] = []
    for index, keys in enumerate(keys_of):
        mine = {k for k in keys if k[0] in EXCLUSIVE_SCHEMES}
        work_id = next(
            (
                stored[k]
                for k in keys
                if k in stored and not conflicts(mine, held.get(stored[k], set()))
            ),
            None,
        )
        group = next(
            (
                group_of[k]
                for k in keys
                if k in group_of and not conflicts(mine, group_held[group_of[k]])
            ),
            index,
        )
        group_held.setdefault(group, set()).update(mine)
        for key in keys:
            group_of.setdefault(key, group)
        if work_id is not None:
            held.setdefault(work_id, set()).update(mine)
        out.append(Assignment(work_id, group))
    return out


def _stored_works(session: Session, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Map each wanted identifier to the first stored work holding it as verified evidence."""
    stored: dict[tuple[str, str], int] = {}
    values = sorted({v for _, v in wanted})
    verified = getattr(Identifier, "verified", None)
    for start in range(0, len(values), BATCH):
        stmt = select(Identifier.scheme, Identifier.value, Identifier.work_id).where(
            Identifier.value.in_(values[start : start + BATCH])
        )
        if verified is not None:
            stmt = stmt.where(verified.isnot(False))
        for scheme, value, work_id in session.execute(stmt.order_by(Identifier.id)):
            if (scheme, value) in wanted:
                stored.setdefault((scheme, value), work_id)
    return stored


def _exclusive_values(session: Session, work_ids: set[int]) -> dict[int, set[tuple[str, str]]]:
    """Return the exclusive-scheme identifiers each of the given works holds."""
    held: dict[int, set[tuple[str, str]]] = {}
    ids = sorted(work_ids)
    for start in range(0, len(ids), BATCH):
        stmt = select(Identifier.work_id, Identifier.scheme, Identifier.value).where(
            Identifier.work_id.in_(ids[start : start + BATCH]),
            Identifier.scheme.in_(EXCLUSIVE_SCHEMES),
        )
        for work_id, scheme, value in session.execute(stmt):
            if usable(scheme, value):
                held.setdefault(work_id, set()).add((scheme, value))
    return held
