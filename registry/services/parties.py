"""Resolve party references from sources to registry parties, in batches, creating new ones."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Party, PartyIdentifier, PartyName
from registry.models.base import utcnow
from registry.services.write_bulk import insert_tuples_ids, one_of
from registry.services.write_raw import insert_rows
from schemas.text import fold

PERSONAL_TAX_SCHEMES = frozenset({"br_cpf"})
LOOKUP_BATCH = 500
PARTIES = Party.__table__
PARTY_COLUMNS = ("kind", "name", "name_folded", "country", "version", "created_at", "updated_at")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def folded_name(text: str) -> str:
    """Return schemas.text.fold of text; ASCII text (no accents to drop) the short way."""
    if text.isascii():
        return _SPACES.sub(" ", text.lower()).strip()
    return fold(text)


class NewParty:
    """A party created in this transaction; its id is known once store_pending ran."""

    __slots__ = ("country", "id", "kind", "name")

    def __init__(self, kind: str, name: str, country: str | None) -> None:
        self.kind, self.name, self.country = kind, name, country
        self.id: int | None = None


PartyHandle = int | NewParty


def party_id(handle: PartyHandle | None) -> int | None:
    """Return the database id behind a handle (after store_pending inserted new parties)."""
    if handle is None or isinstance(handle, int):
        return handle
    return handle.id


def _identifiers(ref: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the storable identifiers of a reference."""
    return [
        (i["scheme"], i["value"])
        for i in ref.get("identifiers", [])
        if i["scheme"] not in PERSONAL_TAX_SCHEMES
    ]


class PartyResolver:
    """Find parties by identifier, then by kind, folded name and country; create the rest."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self._by_identifier: dict[tuple[str, str], PartyHandle] = {}
        self._by_name: dict[tuple[str, str], list[tuple[PartyHandle, str | None]]] = {}
        self._known_names: set[tuple[int, str]] = set()
        self._loaded_names: set[str] = set()
        self._new: list[NewParty] = []
        self._pending_names: list[tuple[PartyHandle, str]] = []
        self._pending_ids: list[tuple[PartyHandle, str, str]] = []

    def prefetch(self, refs: list[dict[str, Any]]) -> None:
        """Load in two queries every stored party the references may point to."""
        keys = {k for ref in refs for k in _identifiers(ref)} - set(self._by_identifier)
        values = sorted({v for _, v in keys})
        for start in range(0, len(values), LOOKUP_BATCH):
            some = values[start : start + LOOKUP_BATCH]
            rows = self.session.execute(
                select(
                    PartyIdentifier.scheme, PartyIdentifier.value, PartyIdentifier.party_id
                ).where(one_of(PartyIdentifier.value, some, self.dialect))
            )
            for scheme, value, pid in rows:
                self._by_identifier.setdefault((scheme, value), pid)
        folded = sorted({folded_name(ref["name"]) for ref in refs} - self._loaded_names)
        for start in range(0, len(folded), LOOKUP_BATCH):
            part = folded[start : start + LOOKUP_BATCH]
            rows = self.session.execute(
                select(
                    PartyName.party_id,
                    PartyName.name,
                    PartyName.name_folded,
                    Party.kind,
                    Party.country,
                )
                .join(Party, Party.id == PartyName.party_id)
                .where(one_of(PartyName.name_folded, part, self.dialect))
                .order_by(Party.id)
            )
            for pid, name, name_folded, kind, country in rows:
                self._known_names.add((pid, name))
                entries = self._by_name.setdefault((kind, name_folded), [])
                if all(h != pid for h, _ in entries):
                    entries.append((pid, country))
            self._loaded_names.update(part)

    def resolve(self, ref: dict[str, Any] | None) -> PartyHandle | None:
        """Return the party a reference names, creating it when the registry lacks it."""
        if not ref:
            return None
        identifiers = _identifiers(ref)
        handle = self._find(ref, identifiers)
        if handle is None:
            handle = NewParty(ref["kind"], ref["name"], ref.get("country"))
            self._new.append(handle)
            self._by_name.setdefault((ref["kind"], folded_name(ref["name"])), []).append(
                (handle, ref.get("country"))
            )
        for key in identifiers:
            if key not in self._by_identifier:
                self._by_identifier[key] = handle
                self._pending_ids.append((handle, *key))
        self._pending_names.append((handle, ref["name"]))
        return handle

    def _find(self, ref: dict[str, Any], identifiers: list[tuple[str, str]]) -> PartyHandle | None:
        """Look the party up among the prefetched and newly created ones."""
        for key in identifiers:
            if key in self._by_identifier:
                return self._by_identifier[key]
        if identifiers and ref["kind"] == "organization":
            return None
        country = ref.get("country")
        for handle, known_country in self._by_name.get((ref["kind"], folded_name(ref["name"])), []):
            if not country or known_country == country:
                return handle
        return None

    def store_pending(self) -> None:
        """Insert the parties, identifiers and name spellings learnt since the last call."""
        if self._new:
            now = utcnow()
            rows = [
                (p.kind, p.name, folded_name(p.name), p.country, 1, now, now) for p in self._new
            ]
            ids = insert_tuples_ids(self.session.connection(), PARTIES, PARTY_COLUMNS, rows)
            for party, new_id in zip(self._new, ids, strict=True):
                party.id = new_id
            self._new = []
        ids = [(party_id(h), s, v) for h, s, v in self._pending_ids]
        names = []
        for handle, name in self._pending_names:
            key = (party_id(handle), name)
            if key not in self._known_names:
                self._known_names.add(key)
                names.append((key[0], name, folded_name(name)))
        connection = self.session.connection()
        insert_rows(connection, PartyIdentifier.__table__, ("party_id", "scheme", "value"), ids)
        insert_rows(connection, PartyName.__table__, ("party_id", "name", "name_folded"), names)
        self._pending_ids, self._pending_names = [], []
