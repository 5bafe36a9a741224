"""Domain errors and their HTTP status: one table for the whole API."""

from __future__ import annotations

from typing import Any


class RegistryError(Exception):
    """Base of every error the registry reports to a user."""

    code = "registry_error"
    status = 500

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def to_dict(self) -> dict[str, Any]:
        """Return the stable JSON body of this error."""
        return {
            "code": self.code,
            "status": self.status,
            "message": self.message,
            "errors": self.errors,
        }


class ValidationFailed(RegistryError):
    """Input that does not satisfy the schema."""

    code = "validation_error"
    status = 422


class NotFound(RegistryError):
    """A resource that does not exist."""

    code = "not_found"
    status = 404


class Conflict(RegistryError):
    """A write that conflicts with the current state."""

    code = "conflict"
    status = 409


class StaleVersion(RegistryError):
    """A write based on an outdated version of a record."""

    code = "stale_version"
    status = 412


class SearchUnavailable(RegistryError):
    """The search index cannot be reached."""

    code = "search_unavailable"
    status = 503


class ImportFailed(RegistryError):
    """A file that could not be processed at all."""

    code = "import_failed"
    status = 422


class Unauthorized(RegistryError):
    """A request without valid credentials where credentials are required."""

    code = "unauthorized"
    status = 401


class Forbidden(RegistryError):
    """A request whose credentials do not allow the operation."""

    code = "forbidden"
    status = 403


class PayloadTooLarge(RegistryError):
    """A submitted body larger than the configured limit."""

    code = "payload_too_large"
    status = 413


class UnsupportedFormat(RegistryError):
    """A submitted file in no format the registry reads."""

    code = "unsupported_format"
    status = 415
