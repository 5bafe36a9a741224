"""Who may do what: bearer tokens of agency clients, roles and rate limits."""

from registry.auth.principal import (
    Principal,
    command_line_principal,
    current_principal,
    require_agency,
    require_principal,
    require_role,
)
from registry.auth.tokens import authenticate_token
from registry.errors import Forbidden, Unauthorized

__all__ = [
    "Forbidden",
    "Principal",
    "Unauthorized",
    "authenticate_token",
    "command_line_principal",
    "current_principal",
    "require_agency",
    "require_principal",
    "require_role",
]
