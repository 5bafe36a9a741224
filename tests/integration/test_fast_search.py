"""GET /api/v1/works answers the same whether the WSGI fast path or the Flask view serves it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from werkzeug.test import Client

from registry.api.fast_search import FastWorkSearch
from registry.app import create_app
from registry.context import Registry
from registry.search import indexer, management
from tests.helpers import write_aggregates

QUERIES = [
    "",
    "q=pelicula+azul",
    "q=PELICULA%20AZL",
    "country=AR&country=UY&sort=-year",
    "work_type=movie&year_from=2000&year_to=2010&facets=true",
    "media=svod&territory=ar&on=2026-03-01&exclusive=true",
    "media=svod&territory=AR&unlicensed=true",
    "party=Ana+Diaz&role=director",
    "size=1",
    "size=2&size=1",
    "q=pel%C3%ADcula+azul",
    "q=azul%FF",
    # refused: the fast path leaves these to Flask's handlers, or answers with the same bytes
    "size=1&cursor=WyJhenVsIiwgMV0",
    "cursor=not-a-cursor",
    "cursor=" + "[" * 2000,
    "year_from=2010&year_to=2000",
    "country=XX",
    "colour=blue",
    "size=0",
    "q=",
]
NO_HITS = {"media=svod&territory=AR&unlicensed=true", "q=azul%FF"}


@pytest.fixture
def app(search_registry):
    """Return an app over a registry holding a few indexed works."""
    ids = write_aggregates(
        search_registry,
        [
            (
                str(n),
                {
                    "titles": [{"text": f"Película Azul {n}", "language": "es"}],
                    "work_type": "movie",
                    "year": 2000 + n,
                    "countries_of_origin": ["AR" if n % 2 else "UY"],
                    "contributions": [
                        {"party": {"kind": "person", "name": "Ana Díaz"}, "role": "director"}
                    ],
                    "licenses": [
                        {
                            "licensee": {"kind": "organization", "name": "Sur SA"},
                            "media": ["svod"],
                            "territories": ["AR"],
                            "exclusive": n % 2 == 0,
                            "start": "2026-01-01",
                            "end": "2026-12-31",
                        }
                    ],
                },
            )
            for n in range(5)
        ],
    )
    indexer.index_works(search_registry, ids)
    management.refresh(search_registry.search, search_registry.index_prefix)
    return create_app(registry=search_registry)


def _get(wsgi, query: str) -> tuple[int, str, dict]:
    """Return status, content type and JSON body of GET /api/v1/works?query."""
    response = Client(wsgi).get(f"/api/v1/works?{query}")
    return response.status_code, response.content_type, response.get_json()


def _raw(wsgi, query: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Return status, every header and the body bytes of GET /api/v1/works?query."""
    response = Client(wsgi).get(f"/api/v1/works?{query}")
    return response.status_code, sorted(response.headers.items()), response.get_data()


def _flask_only(app):  # noqa: ANN001, ANN202
    """Return the same app with the fast path removed."""
    flask_only = create_app(registry=app.extensions["registry"])
    flask_only.wsgi_app = flask_only.wsgi_app.app
    return flask_only


@pytest.mark.parametrize("query", QUERIES)
def test_fast_path_answers_like_the_flask_view(app, query):
    fast = app.wsgi_app
    assert isinstance(fast, FastWorkSearch)
    flask_only = _flask_only(app)
    assert _raw(app, query) == _raw(flask_only, query)
    status, content_type, body = _get(app, query)
    assert content_type == "application/json"
    if status == 200:
        assert (body["total"] == 0) == (query in NO_HITS), body
    else:
        assert set(body) == {"code", "status", "message", "errors"} and body["status"] == status


def test_fast_path_serves_searches_itself(app, monkeypatch):
    def flask_must_not_run(environ, start_response):
        raise AssertionError(f"Flask served {environ['QUERY_STRING']!r}")

    monkeypatch.setattr(app.wsgi_app, "app", flask_must_not_run)
    status, _, body = _get(app, "q=pelicula+azul")
    assert status == 200 and body["total"] == 5


def test_fast_path_reports_search_outage_as_503(registry):
    dead = Registry(replace(registry.settings, elasticsearch_url="http://127.0.0.1:9"))
    app = create_app(registry=dead)
    fast = Client(app).get("/api/v1/works?q=azul")
    flask_only = Client(app.wsgi_app.app).get("/api/v1/works?q=azul")
    assert fast.status_code == flask_only.status_code == 503
    assert fast.get_data() == flask_only.get_data()
    assert fast.get_json()["code"] == "search_unavailable"


def test_other_routes_and_methods_go_to_flask(app):
    client = Client(app)
    assert client.get("/healthz").status_code == 200
    assert client.post("/api/v1/works").status_code == 405
    assert client.get("/api/v1/works/").status_code in (308, 404)


def test_a_cursor_pages_alike_through_both_paths(app):
    first = Client(app).get("/api/v1/works?size=2&sort=year").get_json()
    query = f"size=2&sort=year&cursor={first['next_cursor']}"
    assert _raw(app, query) == _raw(_flask_only(app), query)
    status, _, body = _get(app, query)
    assert status == 200 and [i["year"] for i in body["items"]] == [2002, 2003]


def test_an_unexpected_failure_is_answered_once_with_flasks_bytes(app, monkeypatch):
    registry = app.extensions["registry"]
    calls = []

    def failing_search(**kwargs):  # noqa: ANN003, ANN202
        calls.append(kwargs)
        raise RuntimeError("the node answered something unreadable")

    monkeypatch.setitem(registry.__dict__, "search", type("Broken", (), {})())
    monkeypatch.setattr(registry.search, "search", failing_search, raising=False)
    fast = _raw(app, "q=azul")
    assert len(calls) == 1
    assert fast == _raw(_flask_only(app), "q=azul")
    assert fast[0] == 500 and b'"internal_error"' in fast[2]


def test_requests_with_credentials_go_through_flask(app, monkeypatch):
    monkeypatch.setattr(app.wsgi_app, "answer", None)
    response = Client(app).get("/api/v1/works?q=azul", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
