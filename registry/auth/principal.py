"""Who is calling: the principal of a request and the role checks on views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import g, has_request_context

from registry.errors import Forbidden, Unauthorized
from registry.models.auth import ROLES

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the agency it acts for, its role and the token's name."""

    agency: str
    role: str
    token_name: str
    token_id: int | None = None

    @property
    def is_admin(self) -> bool:
        """Tell whether the caller may act for every agency."""
        return self.role == "admin"

    def has_role(self, *roles: str) -> bool:
        """Tell whether the caller holds one of the roles; admins hold every role."""
        return self.is_admin or self.role in roles

    def may_act_for(self, agency: str) -> bool:
        """Tell whether the caller may write or read private data under an agency."""
        return self.is_admin or self.agency == agency


def command_line_principal() -> Principal:
    """Return the operator at the server's shell: an administrator with no token."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Principal(agency="", role="admin", token_name=f"cli:{user}")


def current_principal() -> Principal | None:
    """Return the caller of the current request, or None when anonymous or outside a request."""
    if not has_request_context():
        return None
    return g.get("principal")


def require_principal() -> Principal:
    """Return the caller of the current request, or refuse with 401."""
    principal = current_principal()
    if principal is None:
        raise Unauthorized("this operation needs a bearer token")
    return principal


def require_role(*roles: str) -> Callable[[F], F]:
    """Refuse a view with 401 when anonymous and 403 without one of the roles (admin passes)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = require_principal()
            if not principal.has_role(*roles):
                raise Forbidden(f"this operation needs the role {' or '.join(roles)}")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def require_agency(agency: str) -> Principal:
    """Return the caller if it may act for the agency, else refuse with 401 or 403."""
    principal = require_principal()
    if not principal.may_act_for(agency):
        raise Forbidden(f"the token of {principal.agency} may not act for {agency}")
    return principal
