"""The HTTP API against a real node and database: shapes, statuses and answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from registry.app import create_app
from registry.context import Registry
from registry.search import indexer, management
from tests.helpers import write_aggregates

EIDR = "10.5240/7791-8534-2C23-9030-8610-5"


@pytest.fixture
def client(search_registry):
    """Return a test client over a registry holding a few works with licences."""
    distributor = {"kind": "organization", "name": "Distribuidora Andina SA", "country": "AR"}
    platform = {"kind": "organization", "name": "Plataforma Sur SRL", "country": "AR"}
    ids = write_aggregates(
        search_registry,
        [
            (
                "a",
                {
                    "titles": [{"text": "El Secreto de sus Ojos", "language": "es"}],
                    "identifiers": [
                        {"scheme": "eidr", "value": "urn:eidr:" + EIDR.replace("/", ":")}
                    ],
                    "work_type": "movie",
                    "year": 2009,
                    "countries_of_origin": ["AR", "ES"],
                    "contributions": [
                        {
                            "party": {"kind": "person", "name": "Juan José Campanella"},
                            "role": "director",
                        }
                    ],
                    "rights": [
                        {
                            "holder": distributor,
                            "right_type": "economic",
                            "share_pct": 60,
                            "territories": ["AR"],
                        },
                        {
                            "holder": platform,
                            "right_type": "economic",
                            "share_pct": 50,
                            "territories": ["AR"],
                        },
                    ],
                    "licenses": [
                        {
                            "licensee": platform,
                            "media": ["svod"],
                            "territories": ["LATAM"],
                            "exclusive": True,
                            "start": "2026-01-01",
                            "end": "2026-12-31",
                        },
                        {
                            "licensee": distributor,
                            "media": ["svod", "tvod"],
                            "territories": ["AR"],
                            "exclusive": True,
                            "start": "2026-06-01",
                            "end": None,
                        },
                    ],
                },
            ),
            (
                "b",
                {
                    "titles": [{"text": "Whisky", "language": "es"}],
                    "work_type": "movie",
                    "year": 2004,
                    "countries_of_origin": ["UY"],
                },
            ),
        ],
    )
    indexer.index_works(search_registry, ids)
    management.refresh(search_registry.search, search_registry.index_prefix)
    app = create_app(registry=search_registry)
    client = app.test_client()
    client.work_ids = ids
    return client


def assert_error_shape(response, status: int) -> dict:
    """Check the stable JSON error body and return it."""
    assert response.status_code == status
    body = response.get_json()
    assert set(body) >= {"code", "status", "message", "errors"}
    assert body["status"] == status
    return body


def test_readyz_reports_both_services(client):
    body = client.get("/readyz").get_json()
    assert body["ready"] is True
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["search"]["status"] == "up"


def test_search_down_gives_503_json(registry):
    dead = Registry(replace(registry.settings, elasticsearch_url="http://127.0.0.1:9"))
    client = create_app(registry=dead).test_client()
    body = assert_error_shape(client.get("/readyz"), 503)
    assert body["errors"]["down"] == ["search"]
    assert_error_shape(client.get("/api/v1/works?q=whisky"), 503)


def test_search_with_facets_and_filters(client):
    body = client.get("/api/v1/works?q=secreto+de+sus+ojos&facets=true").get_json()
    assert body["items"][0]["id"] == client.work_ids[0]
    facets = {f["value"]: f["count"] for f in body["facets"]["country"]}
    assert facets.get("AR") == 1
    body = client.get("/api/v1/works?country=UY").get_json()
    assert [i["id"] for i in body["items"]] == [client.work_ids[1]]


def test_licence_filters_and_inverse(client):
    url = "/api/v1/works?media=svod&territory=AR&on=2026-03-01&exclusive=true"
    assert [i["id"] for i in client.get(url).get_json()["items"]] == [client.work_ids[0]]
    url = "/api/v1/works?media=svod&territory=AR&on=2025-03-01"
    assert client.get(url).get_json()["total"] == 0
    url = "/api/v1/works?media=svod&territory=AR&on=2026-03-01&exclusive=true&unlicensed=true"
    assert [i["id"] for i in client.get(url).get_json()["items"]] == [client.work_ids[1]]


def test_lookup_by_identifier_in_any_spelling(client):
    for spelling in (EIDR, "urn:eidr:" + EIDR.replace("/", ":"), EIDR.lower()):
        response = client.get(f"/api/v1/works/by-identifier/eidr/{spelling}")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["id"] == client.work_ids[0]
    assert_error_shape(client.get("/api/v1/works/by-identifier/eidr/10.5240/XXXX"), 422)
    assert_error_shape(client.get("/api/v1/works/by-identifier/nope/123"), 422)


def test_availability_and_conflicts(client):
    work_id = client.work_ids[0]
    body = client.get(
        f"/api/v1/works/{work_id}/availability?territory=AR&media=svod&on=2026-07-01"
    ).get_json()
    assert len(body["licenses"]) == 2
    kinds = {c["type"] for c in body["conflicts"]}
    assert kinds == {"exclusive_overlap", "shares_over_100"}
    body = client.get(
        f"/api/v1/works/{work_id}/availability?territory=AR&media=svod&on=2025-07-01"
    ).get_json()
    assert body["licenses"] == [] and body["available"] is False


def test_work_detail_carries_sources(client):
    body = client.get(f"/api/v1/works/{client.work_ids[0]}").get_json()
    assert body["titles"][0]["source"]["agency"] == "ZZ-EXCHANGE"
    assert body["sources"][0]["key"] == "a"
    assert sorted(body["countries_of_origin"]) == ["AR", "ES"]


def test_times_carry_their_utc_offset(client):
    detail = client.get(f"/api/v1/works/{client.work_ids[0]}").get_json()
    item = client.get("/api/v1/works?q=whisky").get_json()["items"][0]
    for stamp in (detail["created_at"], detail["updated_at"], item["updated_at"]):
        assert datetime.fromisoformat(stamp).utcoffset() == timedelta(0), stamp
    assert all(datetime.fromisoformat(s["updated_at"]).tzinfo for s in detail["sources"])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/works?year_from=abc",
        "/api/v1/works?media=betamax",
        "/api/v1/works?country=JJ",
        "/api/v1/works?q=" + "x" * 300,
        "/api/v1/works?cursor=%%%",
        "/api/v1/works?bogus=1",
        "/api/v1/works/1/availability?on=2026-13-01",
    ],
)
def test_bad_parameters_are_422_naming_them(client, url):
    body = assert_error_shape(client.get(url), 422)
    assert body["errors"], body


def test_unknown_work_is_404_json(client):
    assert_error_shape(client.get("/api/v1/works/999999"), 404)
    assert_error_shape(client.get("/api/v1/nothing-here"), 404)


def test_query_syntax_is_not_interpreted(client):
    for text in ('title:"x" AND (', "*", "a/b\\", '{"query": 1}'):
        response = client.get("/api/v1/works", query_string={"q": text})
        assert response.status_code == 200, (text, response.get_json())


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/works" in spec["paths"]
    assert "/api/v1/works/{work_id}/availability" in spec["paths"]


def test_party_search_and_detail(client):
    body = client.get("/api/v1/parties?q=plataforma").get_json()
    assert body["total"] == 1 and body["approximate"] is False
    party_id = body["items"][0]["id"]
    detail = client.get(f"/api/v1/parties/{party_id}").get_json()
    assert {lic["as"] for lic in detail["licenses"]} == {"licensee"}
    assert detail["rights"][0]["work_id"] == client.work_ids[0]


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("Campanela", "Juan José Campanella"),  # credited person, one letter missing
        ("distribuidora andna", "Distribuidora Andina SA"),  # rights holder and licensee
        ("plataforma sud", "Plataforma Sur SRL"),  # licensee only
    ],
)
def test_party_search_falls_back_to_approximate_names(client, q, name):
    body = client.get(f"/api/v1/parties?q={q}").get_json()
    assert body["approximate"] is True
    assert [item["name"] for item in body["items"]][:1] == [name]
    assert body["total"] == len(body["items"])


def test_party_search_without_any_close_name_is_empty(client):
    body = client.get("/api/v1/parties?q=zzyzx+qwerty").get_json()
    assert body == {"total": 0, "items": [], "approximate": True}


def test_party_search_answers_from_the_database_when_search_is_down(registry):
    dead = Registry(replace(registry.settings, elasticsearch_url="http://127.0.0.1:9"))
    client = create_app(registry=dead).test_client()
    response = client.get("/api/v1/parties?q=nobody")
    assert response.status_code == 200
    assert response.get_json() == {"total": 0, "items": [], "approximate": False}
