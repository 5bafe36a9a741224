"""Agencies as clients of the registry: register one before issuing its tokens."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from registry.errors import Conflict, ValidationFailed
from registry.models import Agency

AGENCY_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9][A-Z0-9_-]{1,28}$")


def add_agency(session: Session, code: str, country: str, name: str) -> Agency:
    """Register an agency; the caller commits."""
    code, country = code.strip().upper(), country.strip().upper()
    if not AGENCY_CODE.match(code):
        raise ValidationFailed(
            f"invalid agency code {code!r}", {"code": ["like UY-ACAU: country, dash, name"]}
        )
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValidationFailed(f"invalid country {country!r}", {"country": ["ISO 3166 alpha-2"]})
    if session.get(Agency, code) is not None:
        raise Conflict(f"agency {code} already exists")
    agency = Agency(code=code, country=country, name=name.strip()[:200])
    session.add(agency)
    session.flush()
    return agency
