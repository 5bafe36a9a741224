"""Rate limits with Flask-Limiter: per token when authenticated, per address when anonymous."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from flask import Flask, jsonify, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import RateLimitItem, parse_many

from registry.api.errors import error_body
from registry.api.jsonprovider import dump_bytes
from registry.auth.principal import current_principal

EXEMPT_PATHS = ("/healthz", "/readyz", "/static/")


def _limit_key() -> str:
    """Return what a request is counted against: its token's name, else its address."""
    principal = current_principal()
    if principal is not None:
        return f"token:{principal.token_name}"
    return f"addr:{request.remote_addr or 'unknown'}"


def init_limits(app: Flask, settings: Any) -> Limiter:
    """Install Flask-Limiter with the configured anonymous and authenticated limits."""
    anonymous, authenticated = settings.rate_limit_anonymous, settings.rate_limit_authenticated
    limiter = Limiter(
        key_func=_limit_key,
        default_limits=[lambda: authenticated if current_principal() else anonymous],
        storage_uri=settings.rate_limit_storage,
        strategy="moving-window",
        headers_enabled=False,
        enabled=settings.rate_limit_enabled,
    )
    limiter.request_filter(lambda: request.path.startswith(EXEMPT_PATHS))
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded):  # noqa: ANN202
        current = limiter.current_limit
        retry_after = max(1, math.ceil(current.reset_at - time.time())) if current else 1
        body = error_body("too_many_requests", 429, f"rate limit exceeded: {exc.limit.limit}")
        return jsonify(body), 429, {"Retry-After": str(retry_after)}

    return limiter


class FastPathLimiter:
    """Apply the anonymous limit to requests answered before Flask, with the same storage."""

    def __init__(self, limiter: Limiter, limit_text: str, scope: str) -> None:
        self.limiter = limiter
        self.items: list[RateLimitItem] = parse_many(limit_text)
        self.scope = scope

    def refuse(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """Count the request; return a 429 answer when a limit is exceeded, else None."""
        if not self.limiter.enabled:
            return None
        key = f"addr:{environ.get('REMOTE_ADDR') or 'unknown'}"
        strategy = self.limiter.limiter
        for item in self.items:
            if not strategy.hit(item, "fast", self.scope, key):
                stats = strategy.get_window_stats(item, "fast", self.scope, key)
                retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                body = dump_bytes(
                    error_body("too_many_requests", 429, f"rate limit exceeded: {item}")
                )
                headers = [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(body))),
                    ("Retry-After", str(retry_after)),
                ]
                return f"429 {HTTPStatus(429).phrase}", headers, body
        return None


def fast_path_gate(app: Flask, limiter: Limiter, scope: str) -> Callable[[dict], Any]:
    """Return the check the fast search path runs before answering."""
    return FastPathLimiter(
        limiter, app.extensions["registry"].settings.rate_limit_anonymous, scope
    ).refuse
