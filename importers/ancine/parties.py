"""Parties named by ANCINE rows: companies with a CNPJ, or natural persons without tax ids."""

from __future__ import annotations

from typing import Any

from importers.ancine.common import RowFields
from importers.ancine.text import fold

NATURAL_PERSON = "PESSOA FÍSICA"
_NATURAL_PERSON_KEY = fold(NATURAL_PERSON)


def is_natural_person(tax_id: str | None) -> bool:
    """Tell whether a CNPJ cell says the party is a natural person."""
    return fold(tax_id) == _NATURAL_PERSON_KEY


def registered_party(
    fields: RowFields, name_column: str, cnpj_column: str, agent_column: str | None = None
) -> dict[str, Any] | None:
    """Return the party of a row: an organisation with its CNPJ, or a person without one."""
    name = fields.text(name_column)
    if name is None:
        fields.error(name_column, "missing: expected the party's name")
        return None
    identifiers = []
    tax_id = fields.text(cnpj_column)
    person = is_natural_person(tax_id)
    if tax_id and not person and (cnpj := fields.identifier(cnpj_column, "br_cnpj")):
        identifiers.append({"scheme": "br_cnpj", "value": cnpj})
    agent = fields.text(agent_column) if agent_column else None
    if agent and (agent := fields.identifier(agent_column, "ancine_agent")):
        identifiers.append({"scheme": "ancine_agent", "value": agent})
    return {
        "kind": "person" if person else "organization",
        "name": name,
        "country": "BR",
        "identifiers": identifiers,
    }


def person(name: str) -> dict[str, Any]:
    """Return a natural person known only by name."""
    return {"kind": "person", "name": name, "country": None, "identifiers": []}
