"""HTTP API: blueprints that parse requests, call one service and serialise results."""

from __future__ import annotations

from flask_smorest import Api


def register_api_blueprints(api: Api) -> None:
    """Register every versioned API blueprint."""
    from registry.api import audit, exchange, imports, parties, records, works

    for module in (works, parties, imports, exchange, records, audit):
        api.register_blueprint(module.blp)
