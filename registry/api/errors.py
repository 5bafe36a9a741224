"""Map every error to one JSON shape: code, status, message, errors."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from registry.errors import RegistryError
from schemas.responses import ErrorSchema


class RegistryApi(Api):
    """flask-smorest Api documenting the error body the registry really answers."""

    ERROR_SCHEMA = ErrorSchema


def error_body(code: str, status: int, message: str, errors: Any = None) -> dict[str, Any]:
    """Return the stable error body."""
    return {"code": code, "status": status, "message": message, "errors": errors or {}}


def register_error_handlers(app: Flask) -> None:
    """Install handlers so no error leaves as HTML or a stack trace."""

    @app.errorhandler(RegistryError)
    def _registry_error(exc: RegistryError):  # noqa: ANN202
        return jsonify(exc.to_dict()), exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):  # noqa: ANN202
        status = exc.code or 500
        data = getattr(exc, "data", None) or {}
        messages = data.get("messages") if isinstance(data, dict) else None
        errors = _flatten_smorest_messages(messages) if messages else {}
        code = (
            "validation_error" if status == 422 else (exc.name or "error").lower().replace(" ", "_")
        )
        message = "invalid request parameters" if status == 422 else (exc.description or exc.name)
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return jsonify(error_body(code, status, message, errors)), status, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # noqa: ANN202
        app.logger.exception("unhandled error")
        return jsonify(error_body("internal_error", 500, "internal server error")), 500


def _flatten_smorest_messages(messages: dict[str, Any]) -> dict[str, Any]:
    """Merge flask-smorest's per-location messages into one field map."""
    flat: dict[str, Any] = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
    return flat
