"""A burst of anonymous requests is answered 429 with Retry-After, on Flask and the fast path."""

from __future__ import annotations

from dataclasses import replace

from registry.app import create_app
from registry.auth.tokens import create_token
from registry.context import Registry
from registry.services.agencies import ensure_agency


def _app(registry: Registry, anonymous: str, authenticated: str = "1000 per second"):  # noqa: ANN202
    settings = replace(
        registry.settings,
        rate_limit_anonymous=anonymous,
        rate_limit_authenticated=authenticated,
        rate_limit_enabled=True,
    )
    return create_app(registry=Registry(settings))


def _burst(client, path: str, count: int, headers: dict | None = None) -> list:  # noqa: ANN001
    return [client.get(path, headers=headers or {}) for _ in range(count)]


def test_an_anonymous_burst_on_a_flask_route_gets_429_with_retry_after(registry):
    client = _app(registry, "5 per minute").test_client()
    answers = _burst(client, "/api/v1/changes?since=2000-01-01T00:00:00Z", 7)
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    refused = answers[-1]
    assert refused.get_json()["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61


def test_an_anonymous_burst_on_the_fast_search_path_gets_429_with_retry_after(search_registry):
    client = _app(search_registry, "4 per minute").test_client()
    answers = _burst(client, "/api/v1/works?q=relatos", 6)
    assert [a.status_code for a in answers] == [200] * 4 + [429] * 2
    refused = answers[-1]
    assert refused.get_json() == {
        "code": "too_many_requests",
        "status": 429,
        "message": "rate limit exceeded: 4 per 1 minute",
        "errors": {},
    }
    assert 1 <= int(refused.headers["Retry-After"]) <= 61


def test_a_token_is_counted_apart_from_anonymous_callers(registry):
    with registry.sessions() as session:
        ensure_agency(session, "AR-INCAA")
        secret = create_token(session, "AR-INCAA", "reviewer").secret
        session.commit()
    client = _app(registry, "2 per minute", "5 per minute").test_client()
    path = "/api/v1/changes?since=2000-01-01T00:00:00Z"
    anonymous = _burst(client, path, 3)
    authed = _burst(client, path, 6, {"Authorization": f"Bearer {secret}"})
    assert [a.status_code for a in anonymous] == [200, 200, 429]
    assert [a.status_code for a in authed] == [200] * 5 + [429]


def test_health_checks_are_never_limited(registry):
    client = _app(registry, "1 per minute").test_client()
    assert {a.status_code for a in _burst(client, "/healthz", 4)} == {200}
