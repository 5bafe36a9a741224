"""Read parties with their works, rights and licences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from registry.models import Contribution, License, Party, PartyIdentifier, PartyName, RightsHolding
from registry.search.documents import display_title
from registry.services.read import Shown, load_parties, load_party
from schemas.text import fold


def party_view(party: Party) -> dict[str, Any]:
    """Return a party's own fields, names and identifiers."""
    return {
        "id": party.id,
        "kind": party.kind,
        "name": party.name,
        "country": party.country,
        "version": party.version,
        "names": sorted({n.name for n in party.names}),
        "identifiers": [{"scheme": i.scheme, "value": i.value} for i in party.identifiers],
    }


def search_parties(session: Session, q: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Find parties whose name variants contain the folded words of q, or by identifier."""
    stmt = select(Party.id)
    if q:
        words = fold(q).split()
        name_match = select(PartyName.party_id)
        for word in words:
            name_match = name_match.where(PartyName.name_folded.contains(word, autoescape=True))
        digits = "".join(ch for ch in q if ch.isalnum())
        ident_match = select(PartyIdentifier.party_id).where(
            func.replace(
                func.replace(func.replace(PartyIdentifier.value, ".", ""), "/", ""), "-", ""
            )
            == digits
        )
        stmt = stmt.where(or_(Party.id.in_(name_match), Party.id.in_(ident_match)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ids = session.scalars(stmt.order_by(Party.name_folded, Party.id).limit(limit).offset(offset))
    parties = load_parties(session, list(ids))
    return {"total": total, "items": [party_view(p) for p in parties]}


def party_detail(session: Session, party_id: int, limit: int = 500) -> dict[str, Any]:
    """Return a party with the works it made, the rights it holds and its licences."""
    party = load_party(session, party_id)
    contributions = session.scalars(
        select(Contribution).where(Contribution.party_id == party_id).limit(limit)
    ).all()
    rights = session.scalars(
        select(RightsHolding).where(RightsHolding.holder_party_id == party_id).limit(limit)
    ).all()
    licenses = session.scalars(
        select(License)
        .where(or_(License.licensee_party_id == party_id, License.licensor_party_id == party_id))
        .limit(limit)
    ).all()
    titles = _titles(
        session,
        {c.work_id for c in contributions}
        | {r.work_id for r in rights}
        | {lic.work_id for lic in licenses},
    )
    return {
        **party_view(party),
        "works": [
            {"work_id": c.work_id, "title": titles.get(c.work_id), "role": c.role}
            for c in contributions
        ],
        "rights": [
            {
                "work_id": r.work_id,
                "title": titles.get(r.work_id),
                "right_type": r.right_type,
                "share_pct": r.share_pct,
                "territories": r.territories,
            }
            for r in rights
        ],
        "licenses": [
            Shown(
                lic,
                title=titles.get(lic.work_id),
                **{"as": "licensee" if lic.licensee_party_id == party_id else "licensor"},
            )
            for lic in licenses
        ],
        "truncated": max(len(contributions), len(rights), len(licenses)) >= limit,
    }


def _titles(session: Session, work_ids: set[int]) -> dict[int, str]:
    """Return the display title of each work."""
    from sqlalchemy.orm import selectinload

    from registry.models import Work

    if not work_ids:
        return {}
    works = session.scalars(
        select(Work).where(Work.id.in_(work_ids)).options(selectinload(Work.titles))
    )
    return {w.id: display_title(w) for w in works}
