"""Authentication and authorisation errors, answered with the registry's JSON error body."""

from __future__ import annotations

from registry.errors import RegistryError


class Unauthorized(RegistryError):
    """A request without valid credentials where credentials are required."""

    code = "unauthorized"
    status = 401


class Forbidden(RegistryError):
    """A request whose credentials do not allow the operation."""

    code = "forbidden"
    status = 403
