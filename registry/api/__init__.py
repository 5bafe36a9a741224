"""HTTP API: blueprints that parse requests, call one service and serialise results."""

from __future__ import annotations

from flask_smorest import Api


def register_api_blueprints(api: Api) -> None:
    """Register every versioned API blueprint."""
    from registry.api import audit, exchange, imports, matches, parties, records, works
    from registry.api.auth_schemas import BEARER_SCHEME

    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)
    for module in (works, matches, parties, imports, exchange, records, audit):
        api.register_blueprint(module.blp)
