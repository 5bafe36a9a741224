"""Run linkage after imports (incrementally) or over everything, and keep its outcomes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from registry.context import Registry
from registry.matching.apply import current_homes, place, records_of
from registry.matching.decide import APART, LINKED, Edge, clusters, outcomes
from registry.matching.features import load_identifiers, load_units, unit_column
from registry.matching.model import Model, ModelUnavailable, load_model
from registry.matching.scoring import Scored, score
from registry.matching.split import split_placeholder_merges
from registry.models import Contribution, MatchPair, SourceRecord, Title
from registry.models.base import utcnow
from registry.services.works import lock_writers

log = logging.getLogger(__name__)
BATCH = 900
FULL_SHARE = 0.3


def pending_units(session: Session) -> set[int]:
    """Return the units holding records that are new or changed since they were last linked."""
    stmt = select(unit_column()).where(
        or_(SourceRecord.linked_sha256.is_(None), SourceRecord.linked_sha256 != SourceRecord.sha256)
    )
    return set(session.scalars(stmt.distinct()))


def link_pending(registry: Registry, model: Model | None = None) -> set[int]:
    """Link the units of new or changed records against their blocked candidates.

    Returns the ids of the works whose membership changed. The model loads first: when it
    cannot, ModelUnavailable is raised and nothing is touched (imports are already committed).
    Candidates are read and scored outside any write; outcomes are stored and works placed
    under the writers' lock, so placement by imports and moves by linkage never interleave.
    """
    model = model or load_model()
    with registry.sessions() as session:
        pending = pending_units(session)
        if not pending:
            return set()
        if len(pending) > FULL_SHARE * session.query(SourceRecord.id).count():
            session.rollback()
            return _link_everything_pending(registry, model)
        seen = _fingerprints(session, pending)
        units = load_units(session, pending | _candidates(session, pending))
    pairs = score(model, units.values(), focus=pending)
    homes = {u.unit_id: u.work_id for u in units.values()}
    with registry.sessions() as session:
        lock_writers(session)
        touched = _record(session, model, pairs, pending, homes)
        _mark_seen(session, seen)
        session.commit()
    return touched


def _link_everything_pending(registry: Registry, model: Model) -> set[int]:
    """Link when most records never were (a first import, or data from before linkage).

    Works that older versions joined through a placeholder come apart first.
    """
    with registry.sessions() as session:
        lock_writers(session)
        pending = pending_units(session) | split_placeholder_merges(session)
        seen = _fingerprints(session, pending)
        units = load_units(session)
        pairs = score(model, units.values(), focus=pending)
        homes = {u.unit_id: u.work_id for u in units.values() if u.unit_id not in pending}
        touched = _record(session, model, pairs, pending, homes)
        _mark_seen(session, seen)
        session.commit()
    return touched


def _fingerprints(session: Session, units: set[int]) -> list[dict[str, Any]]:
    """Return the id and current fingerprint of every record of the units."""
    ids = sorted(rid for rid, _ in records_of(session, units))
    out = []
    for start in range(0, len(ids), BATCH):
        stmt = select(SourceRecord.id, SourceRecord.sha256).where(
            SourceRecord.id.in_(ids[start : start + BATCH])
        )
        out.extend({"rid": rid, "sha": sha} for rid, sha in session.execute(stmt))
    return out


def _mark_seen(session: Session, seen: list[dict[str, Any]]) -> None:
    """Mark records linked as they were read; a record changed meanwhile stays pending."""
    if not seen:
        return
    table = SourceRecord.__table__
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("rid"), table.c.sha256 == bindparam("sha"))
        .values(linked_sha256=bindparam("sha")),
        seen,
    )


def rebuild(registry: Registry, model: Model | None = None) -> dict[str, Any]:
    """Split placeholder merges, forget the model's pairs, score everything and place again."""
    model = model or load_model()
    with registry.sessions() as session:
        lock_writers(session)
        split = split_placeholder_merges(session)
        session.execute(delete(MatchPair).where(MatchPair.decided_by == "model"))
        units = load_units(session)
        pairs = score(model, units.values())
        touched = _record(session, model, pairs, None) | split
        _mark_all_linked(session)
        session.commit()
        linked = session.query(MatchPair).filter(MatchPair.status == LINKED).count()
        review = session.query(MatchPair).filter(MatchPair.status == "review").count()
    return {
        "units": len(units),
        "pairs_scored": len(pairs),
        "linked_pairs": linked,
        "review_pairs": review,
        "placeholder_works": len(split),
        "works_touched": len(touched),
        "model": model.version,
    }


def _candidates(session: Session, pending: set[int]) -> set[int]:
    """Return the units sharing a folded title or a director with the pending units."""
    mine = sorted(rid for rid, _ in records_of(session, pending))
    titles: set[str] = set()
    directors: set[int] = set()
    for start in range(0, len(mine), BATCH):
        part = mine[start : start + BATCH]
        titles |= set(
            session.scalars(select(Title.text_folded).where(Title.source_record_id.in_(part)))
        )
        directors |= set(
            session.scalars(
                select(Contribution.party_id).where(
                    Contribution.source_record_id.in_(part), Contribution.role == "director"
                )
            )
        )
    found: set[int] = set()
    title_list, director_list = sorted(titles), sorted(directors)
    for start in range(0, len(title_list), BATCH):
        stmt = (
            select(unit_column())
            .join(Title, Title.source_record_id == SourceRecord.id)
            .where(Title.text_folded.in_(title_list[start : start + BATCH]))
        )
        found |= set(session.scalars(stmt.distinct()))
    for start in range(0, len(director_list), BATCH):
        stmt = (
            select(unit_column())
            .join(Contribution, Contribution.source_record_id == SourceRecord.id)
            .where(
                Contribution.party_id.in_(director_list[start : start + BATCH]),
                Contribution.role == "director",
            )
        )
        found |= set(session.scalars(stmt.distinct()))
    return found


def _record(
    session: Session,
    model: Model,
    pairs: list[Scored],
    focus: set[int] | None,
    homes: dict[int, int] | None = None,
) -> set[int]:
    """Store each pair's outcome (never over a person's), then place every cluster."""
    decided = outcomes(model, pairs, focus, homes)
    people = {
        (p.work_a, p.work_b)
        for p in session.scalars(select(MatchPair).where(MatchPair.decided_by == "person"))
    }
    stored = _stored_pairs(session, [(p.work_a, p.work_b) for p in pairs])
    now = utcnow()
    fresh = []
    for pair in pairs:
        key = (pair.work_a, pair.work_b)
        if key in people:
            continue
        values = {
            "probability": pair.probability,
            "match_weight": pair.match_weight,
            "explanation": pair.explanation,
            "status": decided[key],
            "model_version": model.version,
            "updated_at": now,
        }
        row = stored.get(key)
        if row is None:
            fresh.append({"work_a": key[0], "work_b": key[1], "decided_by": "model", **values})
        else:
            for name, value in values.items():
                setattr(row, name, value)
    if fresh:
        session.execute(insert(MatchPair), fresh)
    session.flush()
    return replace_clusters(
        session, None if focus is None else focus | {u for k in decided for u in k}
    )


def _stored_pairs(session: Session, keys: list[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """Load the stored pairs among keys."""
    wanted = set(keys)
    units = sorted({k[0] for k in keys})
    out = {}
    for start in range(0, len(units), BATCH):
        stmt = select(MatchPair).where(MatchPair.work_a.in_(units[start : start + BATCH]))
        for row in session.scalars(stmt):
            if (row.work_a, row.work_b) in wanted:
                out[(row.work_a, row.work_b)] = row
    return out


def replace_clusters(session: Session, around: set[int] | None = None) -> set[int]:
    """Cluster linked pairs under the hard rules and move units where they belong.

    With around, only the units connected to those (through linked pairs) are reconsidered;
    every other cluster stays as it is.
    """
    rows = session.execute(
        select(
            MatchPair.work_a,
            MatchPair.work_b,
            MatchPair.match_weight,
            MatchPair.decided_by,
            MatchPair.status,
        ).where(MatchPair.status.in_((LINKED, APART)))
    ).all()
    links = [Edge(a, b, w or 0.0, by == "person") for a, b, w, by, s in rows if s == LINKED]
    apart = [(a, b) for a, b, _, by, s in rows if s == APART and by == "person"]
    homes = current_homes(session)
    if around is not None:
        scope = _connected(links, around | {w for u, w in homes.items() if u in around})
        scope |= {u for u, w in homes.items() if w in scope}
        links = [e for e in links if e.work_a in scope]
        apart = [(a, b) for a, b in apart if a in scope or b in scope]
        homes = {u: w for u, w in homes.items() if u in scope}
    involved = {e.work_a for e in links} | {e.work_b for e in links}
    units = load_identifiers(session, involved) if involved else {}
    targets = clusters(links, apart, units)
    touched = place(session, targets, homes)
    session.flush()
    return touched


def _connected(links: list[Edge], start: set[int]) -> set[int]:
    """Return the units reachable from start through linked pairs."""
    neighbours: dict[int, set[int]] = {}
    for edge in links:
        neighbours.setdefault(edge.work_a, set()).add(edge.work_b)
        neighbours.setdefault(edge.work_b, set()).add(edge.work_a)
    seen, frontier = set(start), list(start)
    while frontier:
        for other in neighbours.get(frontier.pop(), ()):
            if other not in seen:
                seen.add(other)
                frontier.append(other)
    return seen


def _mark_all_linked(session: Session) -> None:
    """Remember that every record has been linked as it stands."""
    session.execute(update(SourceRecord).values(linked_sha256=SourceRecord.sha256))


def link_after_import(registry: Registry, index: Callable[[set[int]], Any] | None = None) -> str:
    """Link what the imports brought, index the works that changed, and say what happened.

    Never raises for a model that does not load or a linkage that fails: the imports are
    committed already, and `registry match run` can link later.
    """
    try:
        touched = link_pending(registry)
    except ModelUnavailable as exc:
        return f"linkage skipped: {exc.message}"
    except Exception as exc:  # noqa: BLE001 - the import stands; the failure is reported
        log.exception("linkage after import failed")
        return f"linkage failed ({exc.__class__.__name__}): run `registry match run`"
    if index is not None and touched:
        index(touched)
    return f"linkage: {len(touched)} works changed"
