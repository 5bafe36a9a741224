"""The signed-in agency user: a token pasted once, kept in the signed session cookie."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import abort, g, request, session

from registry.auth import Principal, authenticate_token
from registry.web.blueprint import bp, registry

TOKEN_KEY = "token"
CSRF_KEY = "csrf"


def signed_in() -> Principal | None:
    """Return who the session's token stands for, checked again on every request."""
    if "web_principal" in g:
        return g.web_principal
    raw = session.get(TOKEN_KEY)
    principal = authenticate_token(registry(), raw) if raw else None
    if raw and principal is None:
        session.pop(TOKEN_KEY, None)
    g.web_principal = principal
    return principal


def sign_in(raw: str) -> Principal | None:
    """Keep the token in the session when it is valid; return who it stands for."""
    principal = authenticate_token(registry(), raw.strip()) if raw.strip() else None
    if principal is not None:
        session.clear()
        session[TOKEN_KEY] = raw.strip()
        g.web_principal = principal
    return principal


def sign_out() -> None:
    """Forget the session's token."""
    session.clear()
    g.web_principal = None


def csrf_token() -> str:
    """Return the session's form token, creating it once."""
    if CSRF_KEY not in session:
        session[CSRF_KEY] = secrets.token_urlsafe(32)
    return session[CSRF_KEY]


def check_csrf() -> None:
    """Refuse a form post whose token does not match the session's (400)."""
    sent = request.form.get(CSRF_KEY, "")
    expected = session.get(CSRF_KEY, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400)


@bp.app_context_processor
def _account_context() -> dict[str, Any]:
    """Give every page the signed-in user and the form token."""
    if request.blueprint != "web":
        return {}
    return {"current_user": signed_in(), "csrf_token": csrf_token}
