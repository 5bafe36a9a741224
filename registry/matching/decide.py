"""Turn scores into outcomes and outcomes into clusters, under the hard rules and people's word."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from registry.matching.features import Unit
from registry.matching.model import Model
from registry.matching.rules import conflicts
from registry.matching.scoring import Scored

LINKED, REVIEW, APART = "linked", "review", "apart"
CORROBORATING = ("year", "directors", "countries", "runtime", "dates", "identifiers")


def outcomes(
    model: Model,
    pairs: list[Scored],
    focus: set[int] | None = None,
    homes: dict[int, int] | None = None,
) -> dict[tuple[int, int], str]:
    """Return linked, review or apart per pair.

    A pair links automatically when its weight reaches the auto-link weight, each side (each
    side in focus, when given) has no rival candidate within the margin, and something besides
    the title speaks for it or (within one agency's records, directors not disagreeing)
    neither side has a rival;
    otherwise it goes to review above the review weight. Across agencies a title alone never
    links: two registries naming different films alike is common ("Rec", "Gol", "Negra").
    A candidate is no rival when it is the partner's twin: it strongly matches the partner,
    or it already lives in the partner's work (homes maps unit to current work).
    """
    homes = homes or {}
    candidates: dict[int, list[tuple[float, int]]] = {}
    strong = {(p.work_a, p.work_b) for p in pairs if p.match_weight >= model.auto_link}
    for pair in pairs:
        candidates.setdefault(pair.work_a, []).append((pair.match_weight, pair.work_b))
        candidates.setdefault(pair.work_b, []).append((pair.match_weight, pair.work_a))

    def alone(unit: int, partner: int, weight: float) -> bool:
        """Tell whether no other candidate of unit comes within the margin, bar partner's twins."""
        home = homes.get(partner)
        return not any(
            other != partner
            and w > weight - model.margin
            and tuple(sorted((other, partner))) not in strong
            and (home is None or homes.get(other) != home)
            for w, other in candidates[unit]
        )

    out = {}
    for pair in pairs:
        key = (pair.work_a, pair.work_b)
        single = [
            alone(pair.work_a, pair.work_b, pair.match_weight),
            alone(pair.work_b, pair.work_a, pair.match_weight),
        ]
        in_focus = [focus is None or u in focus for u in key]
        unique = all(a for a, f in zip(single, in_focus, strict=True) if f)
        trusted = corroborated(pair) or (
            all(single) and not pair.cross_agency and not disputed(pair)
        )
        if pair.match_weight >= model.auto_link and unique and trusted:
            out[key] = LINKED
        elif pair.match_weight >= model.review:
            out[key] = REVIEW
        else:
            out[key] = APART
    return out


def disputed(pair: Scored) -> bool:
    """Tell whether both sides name directors and none of them agree (Baxley's and Loop's Arena)."""
    return any(
        part["comparison"] == "directors" and (part["weight"] or 0) < 0 for part in pair.explanation
    )


def corroborated(pair: Scored) -> bool:
    """Tell whether something besides the title speaks for the pair.

    The same kind of work counts only for series, whose seasons carry different years.
    """
    return any(
        (part["comparison"] in CORROBORATING or (pair.serial and part["comparison"] == "work_type"))
        and (part["weight"] or 0) > 0
        for part in pair.explanation
    )


@dataclass(frozen=True)
class Edge:
    """A reason to join or to keep apart two units."""

    work_a: int
    work_b: int
    weight: float
    by_person: bool


def clusters(
    links: Iterable[Edge],
    apart: Iterable[tuple[int, int]],
    units: dict[int, Unit],
) -> dict[int, int]:
    """Return the surviving work of every unit that joins another.

    People's links come first, then the model's by descending weight; a join is refused when
    it would put two units a person kept apart, or two different exclusive identifiers, in one
    work. The survivor is the lowest unit id of the cluster.
    """
    parent: dict[int, int] = {}
    members: dict[int, set[int]] = {}
    held: dict[int, set[tuple[str, str]]] = {}
    kept_apart: dict[int, set[int]] = {}
    for a, b in apart:
        kept_apart.setdefault(a, set()).add(b)
        kept_apart.setdefault(b, set()).add(a)

    def root(x: int) -> int:
        parent.setdefault(x, x)
        members.setdefault(x, {x})
        held.setdefault(x, set(units[x].identifiers) if x in units else set())
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ordered = sorted(links, key=lambda e: (not e.by_person, -e.weight, e.work_a, e.work_b))
    for edge in ordered:
        ra, rb = root(edge.work_a), root(edge.work_b)
        if ra == rb or conflicts(held[ra], held[rb]):
            continue
        if any(kept_apart.get(m, set()) & members[rb] for m in members[ra]):
            continue
        small, big = sorted((ra, rb), key=lambda r: len(members[r]))
        parent[small] = big
        members[big] |= members.pop(small)
        held[big] |= held.pop(small)
    out = {}
    for group in members.values():
        if len(group) > 1:
            survivor = min(group)
            out.update({m: survivor for m in group})
    return out
