"""Measure linkage quality and speed on the reference data, with no hand-made answers.

ANCINE's CRT and release records carry the CPB/ROE of their work. Strip those identifiers, let
the model find each record's work among the works the other ANCINE files registered, and score
the answer against the identifier. The registered works are first linked among themselves, as
the registry links them (without the CRT and release records, which would leak the answer), so
a record found in the work that holds its identifier is right whichever of the work's members
it matched. Prints precision, recall, F1, time and peak memory.

    python bench/matching.py [--database URL]      (default: the instance database)

With --speed it also times, on the database given (it changes it: use a scratch copy), a full
`match rebuild` and an incremental run after N records are made pending again, as after a
file of N new rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from dataclasses import replace

from sqlalchemy import select, update

from registry.context import Registry
from registry.matching.decide import LINKED, REVIEW, Edge, clusters, outcomes
from registry.matching.features import Unit, load_units, unit_from_aggregate
from registry.matching.model import load_model
from registry.matching.pipeline import link_pending, rebuild
from registry.matching.scoring import score
from registry.models import SourceRecord

QUERY_FORMATS = ("ancine-crt", "ancine-releases")
OFFSET = 10**12


def _queries(session) -> dict[int, tuple[Unit, set[tuple[str, str]]]]:  # noqa: ANN001
    """Return the CRT and release records as units without identifiers, with their truth.

    Records naming the same CPB/ROE form one unit, as the write path's hard rules would place
    them together; the identifier itself is then removed from what the model sees.
    """
    out: dict[tuple, tuple[Unit, set[tuple[str, str]]]] = {}
    stmt = select(
        SourceRecord.id, SourceRecord.work_id, SourceRecord.agency_code, SourceRecord.normalized
    ).where(SourceRecord.source_format.in_(QUERY_FORMATS))
    for record_id, work_id, agency, normalized in session.execute(stmt):
        unit = unit_from_aggregate(OFFSET + record_id, work_id, normalized)
        unit.agencies.add(agency)
        truth = {i for i in unit.identifiers if i[0] in ("br_cpb", "br_roe")}
        group = tuple(sorted(truth)) or (record_id,)
        if group in out:
            known = out[group][0]
            known.titles |= unit.titles
            known.directors |= unit.directors
            known.countries |= unit.countries
            for name in ("year", "work_type", "runtime"):
                if getattr(known, name) is None:
                    setattr(known, name, getattr(unit, name))
            known.use(unit.first_use)
        else:
            out[group] = (replace(unit, identifiers=set(), work_id=unit.unit_id), truth)
    return {unit.unit_id: (unit, truth) for unit, truth in out.values()}


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="database URL (default: the instance database)")
    parser.add_argument(
        "--speed",
        type=int,
        metavar="N",
        help="also time a rebuild and linkage of N pending records (changes the database)",
    )
    args = parser.parse_args()
    registry = Registry.from_settings({"database_url": args.database} if args.database else None)
    model = load_model()
    started = time.perf_counter()
    with registry.sessions() as session:
        registered = load_units(session, skip_formats=QUERY_FORMATS)
        queries = _queries(session)
    loaded = time.perf_counter()
    homes = _homes(model, registered)
    linked_registered = time.perf_counter()
    owner = {i: homes[u.unit_id] for u in registered.values() for i in u.identifiers}
    units = list(registered.values()) + [q for q, _ in queries.values()]
    pairs = score(model, units, focus=set(queries), floor=model.review)
    scored = time.perf_counter()
    # Pairs of two queries take part in the decisions (a strong one makes them twins, as two
    # pending records of one film are when linkage runs) but are not scored.
    decided = outcomes(model, pairs, focus=set(queries), homes=homes)
    found: dict[int, dict[str, set[int]]] = {}
    for (a, b), outcome in decided.items():
        if (a >= OFFSET) == (b >= OFFSET):
            continue
        query, other = (b, a) if b >= OFFSET else (a, b)
        found.setdefault(query, {}).setdefault(outcome, set()).add(homes[other])
    figures = {}
    for name, accepted in (("auto_link", (LINKED,)), ("auto_link_or_review", (LINKED, REVIEW))):
        tp = fp = fn = 0
        for query, (_, truth) in queries.items():
            expected = {owner[i] for i in truth if i in owner}
            answers = set().union(*(found.get(query, {}).get(o, set()) for o in accepted))
            tp += len(answers & expected)
            fp += len(answers - expected) if name == "auto_link" else 0
            fn += 1 if expected and not answers & expected else 0
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[name] = {"found": tp, "wrong": fp, "missed": fn, "recall": round(recall, 4)}
        if name == "auto_link":
            figures[name] |= {"precision": round(precision, 4), "f1": round(f1, 4)}
    answerable = sum(1 for _, truth in queries.values() if any(i in owner for i in truth))
    report = {
        "queries": len(queries),
        "answerable": answerable,
        "registered_units": len(registered),
        "registered_works": len(set(homes.values())),
        "load_seconds": round(loaded - started, 2),
        "link_registered_seconds": round(linked_registered - loaded, 2),
        "score_seconds": round(scored - linked_registered, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "model": model.version,
        "thresholds": [model.auto_link, model.review, model.margin],
        **figures,
    }
    if args.speed:
        report["speed"] = _speed(registry, args.speed)
    print(json.dumps(report, indent=2))


def _homes(model, registered: dict[int, Unit]) -> dict[int, int]:  # noqa: ANN001
    """Link the registered units among themselves; return each unit's work (its survivor)."""
    pairs = score(model, registered.values())
    decided = outcomes(model, pairs)
    edges = [
        Edge(p.work_a, p.work_b, p.match_weight, False)
        for p in pairs
        if decided[(p.work_a, p.work_b)] == LINKED
    ]
    survivors = clusters(edges, [], registered)
    return {unit: survivors.get(unit, unit) for unit in registered}


def _speed(registry: Registry, pending: int) -> dict[str, float]:
    """Time a full rebuild, then linkage after `pending` release records become pending."""
    started = time.perf_counter()
    result = rebuild(registry)
    full = time.perf_counter() - started
    with registry.sessions() as session:
        ids = session.scalars(
            select(SourceRecord.id)
            .where(SourceRecord.source_format == "ancine-releases")
            .order_by(SourceRecord.id)
            .limit(pending)
        ).all()
        session.execute(
            update(SourceRecord).where(SourceRecord.id.in_(ids)).values(linked_sha256=None)
        )
        session.commit()
    started = time.perf_counter()
    touched = link_pending(registry)
    incremental = time.perf_counter() - started
    return {
        "rebuild_seconds": round(full, 2),
        "rebuild_units": result["units"],
        "incremental_records": len(ids),
        "incremental_seconds": round(incremental, 2),
        "incremental_works_changed": len(touched),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


if __name__ == "__main__":
    main()
