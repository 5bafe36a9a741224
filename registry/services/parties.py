"""Resolve party references from sources to registry parties, creating them when new."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Party, PartyIdentifier, PartyName
from schemas.text import fold

PERSONAL_TAX_SCHEMES = frozenset({"br_cpf"})


class PartyResolver:
    """Find or create parties by identifier, then by kind, folded name and country."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_identifier: dict[tuple[str, str], Party] = {}
        self._by_name: dict[tuple[str, str, str | None], Party] = {}

    def resolve(self, ref: dict[str, Any] | None) -> Party | None:
        """Return the party a reference names, creating it if the registry lacks it."""
        if not ref:
            return None
        identifiers = [
            (i["scheme"], i["value"])
            for i in ref.get("identifiers", [])
            if i["scheme"] not in PERSONAL_TAX_SCHEMES
        ]
        party = self._find(ref, identifiers)
        if party is None:
            party = Party(
                kind=ref["kind"],
                name=ref["name"],
                name_folded=fold(ref["name"]),
                country=ref.get("country"),
            )
            self.session.add(party)
        self._remember(party, ref, identifiers)
        return party

    def _find(self, ref: dict[str, Any], identifiers: list[tuple[str, str]]) -> Party | None:
        """Look the party up in the cache, then in the database."""
        for key in identifiers:
            party = self._by_identifier.get(key) or self._load_by_identifier(key)
            if party is not None:
                return party
        name_key = (ref["kind"], fold(ref["name"]), ref.get("country"))
        if name_key in self._by_name:
            return self._by_name[name_key]
        if identifiers and ref["kind"] == "organization":
            return None
        stmt = (
            select(Party)
            .join(PartyName, PartyName.party_id == Party.id)
            .where(Party.kind == name_key[0], PartyName.name_folded == name_key[1])
        )
        stmt = stmt.where(Party.country == name_key[2]) if name_key[2] else stmt
        return self.session.scalars(stmt.order_by(Party.id).limit(1)).first()

    def _load_by_identifier(self, key: tuple[str, str]) -> Party | None:
        """Load the party holding an identifier."""
        stmt = (
            select(Party)
            .join(PartyIdentifier, PartyIdentifier.party_id == Party.id)
            .where(PartyIdentifier.scheme == key[0], PartyIdentifier.value == key[1])
        )
        return self.session.scalars(stmt).first()

    def _remember(
        self, party: Party, ref: dict[str, Any], identifiers: list[tuple[str, str]]
    ) -> None:
        """Record new identifiers and name spellings and cache the party."""
        known_ids = {(i.scheme, i.value) for i in party.identifiers}
        for scheme, value in identifiers:
            if (scheme, value) not in known_ids and (scheme, value) not in self._by_identifier:
                party.identifiers.append(PartyIdentifier(scheme=scheme, value=value))
            self._by_identifier[(scheme, value)] = party
        if ref["name"] not in {n.name for n in party.names}:
            party.names.append(PartyName(name=ref["name"], name_folded=fold(ref["name"])))
        if party.country is None and ref.get("country"):
            party.country = ref["country"]
        self._by_name[(ref["kind"], fold(ref["name"]), ref.get("country"))] = party
