"""Issue, list, revoke and check bearer tokens: 256 random bits, stored only as SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.auth.principal import Principal
from registry.context import Registry
from registry.errors import Conflict, NotFound, ValidationFailed
from registry.models import Agency, ApiToken
from registry.models.auth import ROLES
from registry.models.base import utcnow

TOKEN_PREFIX = "avr_"


def new_token_secret() -> str:
    """Return a new token: a prefix and 256 bits from the operating system's generator."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    """Return the SHA-256 of a token; enough for 256-bit random secrets, no salt needed."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: the secret is only ever available here."""

    id: int
    name: str
    agency: str
    role: str
    secret: str


def create_token(session: Session, agency: str, role: str, name: str | None = None) -> IssuedToken:
    """Create a token for an agency's client; the caller commits."""
    if role not in ROLES:
        raise ValidationFailed(f"unknown role {role!r}", {"role": [f"one of {', '.join(ROLES)}"]})
    if session.get(Agency, agency) is None:
        raise NotFound(f"unknown agency {agency!r}; add it with `registry agency add`")
    name = name or f"{agency.lower()}-{role}-{secrets.token_hex(3)}"
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise Conflict(f"a token named {name!r} already exists")
    secret = new_token_secret()
    token = ApiToken(agency_code=agency, role=role, name=name, token_hash=hash_token(secret))
    session.add(token)
    session.flush()
    return IssuedToken(token.id, name, agency, role, secret)


def list_tokens(session: Session, agency: str | None = None) -> list[ApiToken]:
    """Return tokens, oldest first, optionally of one agency."""
    stmt = select(ApiToken).order_by(ApiToken.id)
    if agency:
        stmt = stmt.where(ApiToken.agency_code == agency)
    return list(session.scalars(stmt))


def revoke_token(session: Session, name: str) -> ApiToken:
    """Mark a token revoked from now on; the caller commits."""
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise NotFound(f"no token named {name!r}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def principal_for_token(session: Session, raw: str) -> Principal | None:
    """Return who a raw token stands for, or None when it is unknown or revoked."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    digest = hash_token(raw)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None:
        return None
    if not hmac.compare_digest(token.token_hash, digest):
        return None
    return Principal(token.agency_code, token.role, token.name, token.id)


def authenticate_token(registry: Registry, raw: str) -> Principal | None:
    """Check a raw token against the database: the principal, or None if not valid."""
    with registry.sessions() as session:
        return principal_for_token(session, raw.strip())
