"""The one read the pages need that the API services do not offer: key identifiers of results."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Identifier

KEY_SCHEMES = ("isan", "eidr", "br_cpb", "br_roe", "br_crt", "uy_acau", "imdb")


def key_identifiers(session: Session, work_ids: list[int], per_work: int = 3) -> dict[int, list]:
    """Return up to per_work (scheme, value) pairs of each work, best-known schemes first."""
    if not work_ids:
        return {}
    rows = session.execute(
        select(Identifier.work_id, Identifier.scheme, Identifier.value)
        .where(Identifier.work_id.in_(work_ids))
        .order_by(Identifier.work_id, Identifier.id)
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for work_id, scheme, value in rows:
        pairs = found.setdefault(work_id, [])
        if (scheme, value) not in pairs:
            pairs.append((scheme, value))
    rank = {scheme: i for i, scheme in enumerate(KEY_SCHEMES)}
    return {
        work_id: sorted(pairs, key=lambda p: rank.get(p[0], len(rank)))[:per_work]
        for work_id, pairs in found.items()
    }
