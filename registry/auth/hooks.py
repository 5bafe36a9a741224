"""Read the bearer token of every request once, before any view runs."""

from __future__ import annotations

from flask import Flask, g, jsonify, request

from registry.auth.tokens import principal_for_token
from registry.errors import Unauthorized


def init_auth(app: Flask) -> None:
    """Install the hook that turns `Authorization: Bearer` into `g.principal`."""

    @app.before_request
    def _authenticate() -> None:
        g.principal = None
        header = request.headers.get("Authorization")
        if header is None:
            return
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise Unauthorized("use `Authorization: Bearer <token>`")
        registry = app.extensions["registry"]
        with registry.sessions() as session:
            principal = principal_for_token(session, raw.strip())
        if principal is None:
            raise Unauthorized("unknown or revoked token")
        g.principal = principal

    @app.errorhandler(Unauthorized)
    def _unauthorized(exc: Unauthorized):  # noqa: ANN202
        return jsonify(exc.to_dict()), 401, {"WWW-Authenticate": 'Bearer realm="registry"'}
