"""The API answers what its OpenAPI document declares: shapes, statuses and error bodies."""

from __future__ import annotations

import pytest

from registry.app import create_app
from registry.search import indexer, management
from schemas.views import ExchangeLicenceShape, LicenceShape
from tests.helpers import write_aggregates

BEYOND = "34975102730126802944"  # an id beyond every database's integer range
PLATFORM = {"kind": "organization", "name": "Plataforma Sur SRL", "country": "AR"}
STUDIO = {"kind": "organization", "name": "Estudio Norte SA", "country": "UY"}
TAGS = {"works", "parties", "exchange"}  # the read resources; others document their own


@pytest.fixture
def client(search_registry):
    """Return a test client over two works with licences, rights and a licensor."""
    ids = write_aggregates(
        search_registry,
        [
            (
                "a",
                {
                    "titles": [{"text": "Relatos Salvajes", "language": "es"}],
                    "work_type": "movie",
                    "year": 2014,
                    "countries_of_origin": ["AR"],
                    "rights": [{"holder": STUDIO, "right_type": "economic", "share_pct": 100}],
                    "licenses": [
                        {
                            "licensor": STUDIO,
                            "licensee": PLATFORM,
                            "media": ["svod"],
                            "territories": ["AR", "UY"],
                            "exclusive": True,
                            "start": "2026-01-01",
                            "end": "2026-12-31",
                            "terms": {"fee": "flat"},
                        }
                    ],
                },
            ),
            ("b", {"titles": [{"text": "Whisky", "language": "es"}], "year": 2004}),
        ],
    )
    indexer.index_works(search_registry, ids)
    management.refresh(search_registry.search, search_registry.index_prefix)
    client = create_app(registry=search_registry).test_client()
    client.work_ids = ids
    return client


@pytest.fixture
def spec(client):
    """Return the OpenAPI document the app serves."""
    return client.get("/api/v1/openapi.json").get_json()


def test_the_documented_error_is_the_one_answered(client, spec):
    error = spec["components"]["schemas"]["Error"]
    assert error["properties"]["code"]["type"] == "string"
    assert error["properties"]["status"]["type"] == "integer"
    assert set(error["required"]) == {"code", "status", "message", "errors"}
    body = client.get("/api/v1/works/999999").get_json()
    assert set(body) == set(error["properties"])
    assert isinstance(body["code"], str) and body["status"] == 404


def test_every_operation_declares_its_success_schema_and_the_default_error(spec):
    operations = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "delete"} and TAGS & set(operation["tags"])
    ]
    assert len(operations) >= 8
    for path, method, operation in operations:
        responses = operation["responses"]
        ok = responses["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok, (path, method)
        assert responses["default"]["$ref"].endswith("/DEFAULT_ERROR"), (path, method)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/works/{BEYOND}",
        f"/api/v1/works/{BEYOND}/availability",
        f"/api/v1/works/{BEYOND}/licenses",
        f"/api/v1/works/{BEYOND}/sources",
        f"/api/v1/parties/{BEYOND}",
        "/api/v1/works/2147483648",
    ],
)
def test_ids_beyond_the_integer_range_are_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/changes?since=2000-01-01T00:00:00Z&cursor=" + "[" * 2000,
        "/api/v1/changes?since=2000-01-01T00:00:00Z&cursor=2026-01-01T00:00:00|" + BEYOND,
        "/api/v1/works?cursor=" + "[" * 2000,
    ],
)
def test_forged_cursors_are_refused(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert "cursor" in response.get_json()["errors"]


def test_a_changes_cursor_leads_to_the_next_page(client):
    first = client.get("/api/v1/changes?since=2000-01-01T00:00:00Z&size=1").get_json()
    assert first["next_cursor"]
    second = client.get(
        "/api/v1/changes",
        query_string={"since": "2000-01-01T00:00:00Z", "size": 1, "cursor": first["next_cursor"]},
    ).get_json()
    assert [i["id"] for i in first["items"] + second["items"]] == client.work_ids


@pytest.mark.parametrize(
    ("method", "url"),
    [("post", "/api/v1/works/1"), ("delete", "/api/v1/parties/1"), ("put", "/api/v1/works")],
)
def test_a_wrong_method_is_405_naming_the_allowed_ones(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["code"] == "method_not_allowed"


def test_empty_filter_values_are_refused_as_the_document_says(client, spec):
    params = {p["name"]: p for p in spec["paths"]["/api/v1/works"]["get"]["parameters"]}
    assert "" not in params["country"]["schema"]["items"]["enum"]
    assert params["q"]["schema"]["minLength"] == 1
    for query in ("country=", "q=", "agency=", "territory="):
        body = client.get(f"/api/v1/works?{query}").get_json()
        assert body["status"] == 422 and query[:-1] in body["errors"], query


def test_search_items_and_details_agree_on_id(client):
    item = client.get("/api/v1/works?q=relatos+salvajes").get_json()["items"][0]
    detail = client.get(f"/api/v1/works/{item['id']}").get_json()
    assert "work_id" not in item and item["id"] == detail["id"] == client.work_ids[0]


def test_one_licence_shape_in_detail_availability_party_and_export(client):
    work_id = client.work_ids[0]
    detail = client.get(f"/api/v1/works/{work_id}").get_json()["licenses"][0]
    available = client.get(f"/api/v1/works/{work_id}/availability").get_json()["licenses"][0]
    party_id = detail["licensee"]["id"]
    party = client.get(f"/api/v1/parties/{party_id}").get_json()["licenses"][0]
    shape = set(LicenceShape().fields)
    assert shape <= set(detail) and set(detail) == set(available)
    assert set(party) - set(detail) == {"work_id", "title", "as"}
    assert detail == available
    assert {k: party[k] for k in shape} == {k: detail[k] for k in shape}
    assert set(ExchangeLicenceShape().fields) == shape
    assert detail["licensor"] == {"id": detail["licensor"]["id"], **STUDIO}
