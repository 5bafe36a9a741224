"""Place incoming records into works by hard rules, before any probabilistic linkage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from registry.matching.rules import EXCLUSIVE_SCHEMES, conflicts, usable
from registry.models import Identifier

BATCH = 500
PADDED_SIZES = (8, 32, 128, BATCH)


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
    wanted = {k for keys in keys_of for k in keys}
    stored = first_holders(session.connection(), wanted, verified_only=True)
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


def first_holders(
    connection: Connection, wanted: Iterable[tuple[str, str]], verified_only: bool = False
) -> dict[tuple[str, str], int]:
    """Map each (scheme, value) to the work of its first stored row, leaving out those unheld.

    One index probe per identifier (a correlated subquery over the wanted pairs), so the cost
    does not grow with how many rows share a value: reading every row of each value instead
    made an import quadratic when its records repeated one identifier. The statement's text is
    made once per padded size and sent to the driver as it is.
    """
    pairs = sorted(set(wanted))
    found: dict[tuple[str, str], int] = {}
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    for start in range(0, len(pairs), BATCH):
        part = pairs[start : start + BATCH]
        size = next(s for s in PADDED_SIZES if s >= len(part))
        part += [("", "")] * (size - len(part))  # no identifier has an empty scheme
        sql = _holders_sql(size, verified_only, marker)
        params = tuple(item for pair in part for item in pair)
        for scheme, value, work_id in connection.exec_driver_sql(sql, params):
            if work_id is not None and scheme:
                found[(scheme, value)] = work_id
    return found


@cache
def _holders_sql(size: int, verified_only: bool, marker: str) -> str:
    """Return the first-holder statement for size wanted pairs."""
    verified = " AND (i.verified IS NULL OR i.verified)" if verified_only else ""
    rows = ", ".join([f"({marker}, {marker})"] * size)
    return (
        f"WITH wanted (scheme, value) AS (VALUES {rows}) "
        "SELECT wanted.scheme, wanted.value, (SELECT i.work_id FROM identifier AS i "
        f"WHERE i.scheme = wanted.scheme AND i.value = wanted.value{verified} "
        "ORDER BY i.id LIMIT 1) FROM wanted"
    )


def _exclusive_values(session: Session, work_ids: set[int]) -> dict[int, set[tuple[str, str]]]:
    """Return the exclusive-scheme identifiers each of the given works holds."""
    held: dict[int, set[tuple[str, str]]] = {}
    ids = sorted(work_ids)
    for start in range(0, len(ids), BATCH):
        stmt = (
            select(Identifier.work_id, Identifier.scheme, Identifier.value)
            .where(
                Identifier.work_id.in_(ids[start : start + BATCH]),
                Identifier.scheme.in_(EXCLUSIVE_SCHEMES),
            )
            .distinct()  # every record restating a value adds a row: read each value once
        )
        for work_id, scheme, value in session.execute(stmt):
            if usable(scheme, value):
                held.setdefault(work_id, set()).add((scheme, value))
    return held
