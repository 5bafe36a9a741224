"""Read parties with their works, rights and licences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from registry.models import Contribution, License, Party, PartyIdentifier, PartyName, RightsHolding
from registry.search.documents import display_title
from registry.search.queries import folded_words
from registry.services.read import Shown, load_parties, load_party
from schemas.identifiers import normalize_identifier


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


PARTY_SCHEMES = ("ancine_agent", "br_cnpj", "uy_rut", "isni", "eidr_party")
NAME_END = "\U0010ffff"


def identifier_condition(q: str) -> Any:
    """Return an indexed (scheme, value) test for q read as any party identifier, or None."""
    pairs = []
    for scheme in PARTY_SCHEMES:
        try:
            pairs.append((scheme, normalize_identifier(scheme, q)))
        except ValueError:
            continue
    if not pairs:
        return None
    return select(PartyIdentifier.party_id).where(
        or_(*(and_(PartyIdentifier.scheme == s, PartyIdentifier.value == v) for s, v in pairs))
    )


def name_condition(session: Session, q: str) -> Any:
    """Return parties whose name variants contain every folded word of q, through an index.

    On PostgreSQL each word is found inside names by the pg_trgm index on party_name; other
    databases have no such index, so only names starting with the folded text are found here
    (an indexed range) and word search inside names is left to the search index.
    """
    words = folded_words(q).split()
    stmt = select(PartyName.party_id)
    if session.get_bind().dialect.name == "postgresql":
        for word in words:
            stmt = stmt.where(PartyName.name_folded.contains(word, autoescape=True))
        return stmt
    start = " ".join(words)
    return stmt.where(PartyName.name_folded >= start, PartyName.name_folded < start + NAME_END)


def search_parties(session: Session, q: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Find parties by an identifier or by the words of their names, in name order."""
    stmt = select(Party.id)
    if q:
        conditions = [Party.id.in_(name_condition(session, q))]
        by_identifier = identifier_condition(q)
        if by_identifier is not None:
            conditions.append(Party.id.in_(by_identifier))
        stmt = stmt.where(or_(*conditions))
    return parties_page(session, stmt, limit, offset)


def parties_page(session: Session, stmt: Any, limit: int, offset: int) -> dict[str, Any]:
    """Return the total and one page, in name order, of the parties a query selects."""
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ids = session.scalars(stmt.order_by(Party.name_folded, Party.id).limit(limit).offset(offset))
    parties = load_parties(session, list(ids))
    return {"total": total, "items": [party_view(p) for p in parties]}


def party_detail(session: Session, party_id: int, limit: int = 500) -> dict[str, Any]:
    """Return a party with the works it made, the rights it holds and its licences."""
    party = load_party(session, party_id)
    contributions = session.scalars(
        select(Contribution)
        .where(Contribution.party_id == party_id)
        .order_by(Contribution.id)
        .limit(limit)
    ).all()
    rights = session.scalars(
        select(RightsHolding)
        .where(RightsHolding.holder_party_id == party_id)
        .order_by(RightsHolding.id)
        .limit(limit)
    ).all()
    licenses = session.scalars(
        select(License)
        .where(or_(License.licensee_party_id == party_id, License.licensor_party_id == party_id))
        .order_by(License.id)
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
