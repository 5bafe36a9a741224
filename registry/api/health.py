"""Liveness and readiness endpoints."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from registry.api.errors import error_body
from registry.errors import SearchUnavailable
from registry.search.client import ping

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():  # noqa: ANN201
    """Answer while the process is alive."""
    return jsonify({"status": "ok"})


@blp.get("/readyz")
def readyz():  # noqa: ANN201
    """Answer 200 when the database and the search node both answer, else 503."""
    registry = current_app.extensions["registry"]
    checks: dict[str, dict[str, str]] = {}
    try:
        with registry.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = {"status": "up", "dialect": registry.engine.dialect.name}
    except Exception as exc:  # noqa: BLE001
        checks["database"] = {"status": "down", "reason": exc.__class__.__name__}
    try:
        health = ping(registry.search)
        checks["search"] = {"status": "up", "health": health["status"]}
    except SearchUnavailable as exc:
        checks["search"] = {"status": "down", "reason": exc.message}
    down = sorted(name for name, check in checks.items() if check["status"] != "up")
    if not down:
        return jsonify({"ready": True, "checks": checks}), 200
    body = error_body("not_ready", 503, f"not ready: {', '.join(down)} down", {"down": down})
    return jsonify({**body, "ready": False, "checks": checks}), 503
