"""Turn People, AssociatedOrg and ReleaseHistory elements into contributions and facts."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from importers.mec.elements import child, child_text, children, text_of
from importers.mec.reader import RecordReader
from importers.mec.values import region_code, region_source
from schemas.identifiers import normalize_identifier
from schemas.parsing import parse_int, parse_partial_date
from schemas.text import fold

JOB_ROLES: dict[str, str] = {
    "director": "director",
    "codirector": "director",
    "actor": "performer",
    "actress": "performer",
    "performer": "performer",
    "voice": "performer",
    "voicetalent": "performer",
    "voiceactor": "performer",
    "host": "performer",
    "narrator": "performer",
    "producer": "producer",
    "executiveproducer": "producer",
    "coproducer": "producer",
    "coexecutiveproducer": "producer",
    "lineproducer": "producer",
    "writer": "screenwriter",
    "screenwriter": "screenwriter",
    "screenplay": "screenwriter",
    "teleplay": "screenwriter",
    "composer": "composer",
    "music": "composer",
    "musiccomposer": "composer",
}
ORG_ROLES: dict[str, str] = {
    "producer": "production_company",
    "productioncompany": "production_company",
    "studio": "production_company",
    "coproducer": "coproducer",
    "distributor": "distributor",
    "broadcaster": "broadcaster",
    "network": "broadcaster",
}
PARTY_ID_SCHEMES = {"isni": "isni", "eidrpartyid": "eidr_party", "eidrparty": "eidr_party"}


def _role_key(text: str) -> str:
    """Return a vocabulary lookup key: folded, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


class CreditsReader:
    """Collect contributions and the credit facts that have no place in the schema."""

    def __init__(self, reader: RecordReader) -> None:
        self.reader = reader
        self.contributions: list[dict[str, Any]] = []
        self.other_credits: list[dict[str, Any]] = []
        self.characters: list[dict[str, str]] = []
        self.organizations: list[dict[str, str]] = []
        self.releases: list[dict[str, Any]] = []
        self._seen: set[tuple[str, str, str]] = set()

    def read(self) -> None:
        """Read people, associated organisations and release history."""
        for people in children(self.reader.element, "People"):
            self._person(people)
        for org in children(self.reader.element, "AssociatedOrg"):
            self._organization(org, org.get("role") or "")
        for history in children(self.reader.element, "ReleaseHistory"):
            self._release(history)

    def _add(self, party: dict[str, Any], role: str, order: int | None) -> None:
        """Add a contribution unless the same party already has that role."""
        key = (party["kind"], fold(party["name"]), role)
        if key in self._seen:
            return
        self._seen.add(key)
        self.contributions.append({"party": party, "role": role, "credit_order": order})

    def _person(self, people: etree._Element) -> None:
        """Add one person's contributions, one per Job."""
        name_element = child(people, "Name")
        name = child_text(name_element, "DisplayName") if name_element is not None else ""
        if not name:
            self.reader.refuse(people, "the person has no Name/DisplayName")
            return
        party = {
            "kind": "person",
            "name": name,
            "country": None,
            "identifiers": self._party_identifiers(people),
        }
        for job in children(people, "Job"):
            function = child_text(job, "JobFunction")
            order_element = child(job, "BillingBlockOrder")
            order = None
            if order_element is not None:
                order = self.reader.checked(order_element, parse_int)
            role = JOB_ROLES.get(_role_key(function))
            if role:
                self._add(party, role, order)
            else:
                self.other_credits.append({"name": name, "job": function, "credit_order": order})
            for character in children(job, "Character"):
                if role == "performer" and text_of(character):
                    self.characters.append({"performer": name, "character": text_of(character)})

    def _party_identifiers(self, people: etree._Element) -> list[dict[str, str]]:
        """Return a person's ISNI and EIDR party identifiers; other namespaces are skipped."""
        found = []
        for ident in children(people, "Identifier"):
            scheme = PARTY_ID_SCHEMES.get(_role_key(child_text(ident, "Namespace")))
            if scheme:
                value = self.reader.checked(
                    ident,
                    lambda v, s=scheme: normalize_identifier(s, v),
                    child_text(ident, "Identifier"),
                )
                if value:
                    found.append({"scheme": scheme, "value": value})
        return found

    def _organization(self, org: etree._Element, role_text: str, default: str = "") -> None:
        """Add an organisation as a contribution, or keep it as a fact when its role is unknown."""
        name = child_text(org, "DisplayName")
        if not name:
            self.reader.refuse(org, "the organisation has no DisplayName")
            return
        party: dict[str, Any] = {
            "kind": "organization",
            "name": name,
            "country": None,
            "identifiers": [],
        }
        org_id = (org.get("organizationID") or "").strip()
        id_type = _role_key(org.get("idType") or "")
        if org_id and (id_type in PARTY_ID_SCHEMES or org_id.startswith("10.523")):
            scheme = PARTY_ID_SCHEMES.get(id_type, "eidr_party")
            value = self.reader.checked(
                org, lambda v: normalize_identifier(scheme, v), org_id, attribute="organizationID"
            )
            if value:
                party["identifiers"].append({"scheme": scheme, "value": value})
        role = ORG_ROLES.get(_role_key(role_text)) or default
        if role:
            self._add(party, role, None)
        else:
            self.organizations.append({"name": name, "role": role_text})

    def _release(self, history: etree._Element) -> None:
        """Keep one release as a fact; its releasing organisation becomes a distributor."""
        release: dict[str, Any] = {"type": child_text(history, "ReleaseType") or None}
        territory = child(history, "DistrTerritory")
        if territory is not None:
            code = self.reader.checked(region_source(territory), lambda _: region_code(territory))
            if code is None:
                return
            release["territory"] = code
        date_element = child(history, "Date")
        if date_element is not None:
            parsed = self.reader.checked(date_element, parse_partial_date)
            if parsed is None:
                return
            value, precision = parsed
            release["date"] = str(value.year) if precision == "year" else value.isoformat()
        description = child_text(history, "Description")
        if description:
            release["description"] = description
        self.releases.append(release)
        for org in children(history, "ReleaseOrg"):
            self._organization(org, "", default="distributor")
