"""Reads stay bounded: paged details, no payloads read, one search per request, capped text."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from werkzeug.test import Client

from registry.app import create_app
from registry.search import indexer, management
from registry.search.queries import encode_cursor
from registry.services.read import DETAIL_PAGE
from registry.services.search import cursor_secret
from tests.helpers import write_aggregates

LICENCES = DETAIL_PAGE + 30


def licence(n: int) -> dict:
    """Return the nth licence of the paged work: a different licensee each, no overlap."""
    cnpj = [{"scheme": "br_cnpj", "value": "11.222.333/0001-81"}] if n == 7 else []
    return {
        "licensee": {"kind": "organization", "name": f"Canal {n:03d}", "identifiers": cnpj},
        "media": ["svod"],
        "territories": ["AR"],
        "start": f"{1900 + n}-01-01",
        "end": f"{1900 + n}-12-31",
    }


@pytest.fixture
def app(search_registry):
    """Return an app over a work with more licences than a detail page holds."""
    ids = write_aggregates(
        search_registry,
        [
            (
                "long",
                {
                    "titles": [{"text": "La Historia Oficial", "language": "es"}],
                    "year": 1985,
                    "licenses": [licence(n) for n in range(LICENCES)],
                    "rights": [
                        {"holder": licence(n)["licensee"], "right_type": "economic"}
                        for n in range(LICENCES)
                    ],
                    "attributes": {"note": "x"},
                },
            ),
            ("short", {"titles": [{"text": "Nueve Reinas", "language": "es"}], "year": 2000}),
        ],
    )
    indexer.index_works(search_registry, ids)
    management.refresh(search_registry.search, search_registry.index_prefix)
    app = create_app(registry=search_registry)
    app.work_ids = ids
    return app


def test_work_detail_pages_its_licences_and_links_the_rest(app):
    client = app.test_client()
    work_id = app.work_ids[0]
    detail = client.get(f"/api/v1/works/{work_id}").get_json()
    assert len(detail["licenses"]) == DETAIL_PAGE
    page = detail["pages"]["licenses"]
    assert (page["total"], page["returned"]) == (LICENCES, DETAIL_PAGE)
    rest = client.get(page["next"]).get_json()
    assert len(rest["items"]) == LICENCES - DETAIL_PAGE and rest["page"]["next"] is None
    seen = [lic["id"] for lic in detail["licenses"] + rest["items"]]
    assert len(set(seen)) == LICENCES and seen == sorted(seen)
    assert rest["items"][0]["source"]["key"] == "long"
    rights = client.get(detail["pages"]["rights"]["next"]).get_json()
    assert len(detail["rights"]) + len(rights["items"]) == LICENCES
    sources = detail["pages"]["sources"]
    assert (sources["total"], sources["returned"], sources["next"]) == (1, 1, None)


def test_work_detail_never_reads_raw_payloads(app):
    engine = app.extensions["registry"].engine
    statements: list[str] = []

    def remember(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        body = app.test_client().get(f"/api/v1/works/{app.work_ids[0]}").get_json()
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert body["attributes"][0]["values"] == {"note": "x"}
    assert statements and not [s for s in statements if "payload" in s]


def test_availability_lists_a_bounded_page_of_licences(app):
    body = app.test_client().get(f"/api/v1/works/{app.work_ids[0]}/availability").get_json()
    assert len(body["licenses"]) == DETAIL_PAGE
    assert body["pages"]["licenses"]["total"] == LICENCES
    assert body["conflicts"] == []


class CountingSearch:
    """The real search client, counting the searches it runs."""

    def __init__(self, client) -> None:  # noqa: ANN001
        self.client = client
        self.searches = 0

    def search(self, **kwargs):  # noqa: ANN003, ANN201
        self.searches += 1
        return self.client.search(**kwargs)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.client, name)


def test_a_cursor_the_node_refuses_is_422_and_searched_once(app):
    registry = app.extensions["registry"]
    counting = CountingSearch(registry.search)
    registry.__dict__["search"] = counting
    try:
        bad = encode_cursor(
            ["not a year", "nor an id"], cursor_secret(registry.settings), "works:year"
        )
        response = Client(app).get("/api/v1/works", query_string={"sort": "year", "cursor": bad})
    finally:
        registry.__dict__["search"] = counting.client
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error"
    assert counting.searches == 1


def test_cursors_page_through_every_work_once(app):
    client = app.test_client()
    first = client.get("/api/v1/works?size=1&sort=year").get_json()
    second = client.get(f"/api/v1/works?size=1&sort=year&cursor={first['next_cursor']}").get_json()
    assert [i["id"] for i in first["items"] + second["items"]] == app.work_ids
    other_sort = client.get(f"/api/v1/works?size=1&sort=title&cursor={first['next_cursor']}")
    assert other_sort.status_code == 422


def test_party_search_words_never_become_unanchored_likes(app):
    engine = app.extensions["registry"].engine
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, *args):  # noqa: ANN001, ANN202
        statements.append(f"{statement} {parameters}")

    event.listen(engine, "before_cursor_execute", remember)
    try:
        body = app.test_client().get("/api/v1/parties?q=canal+007").get_json()
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert [item["name"] for item in body["items"]][:1] == ["Canal 007"]
    likes = [s for s in statements if " LIKE " in s.upper()]
    if engine.dialect.name != "postgresql":  # PostgreSQL's LIKE is served by the trigram index
        assert likes == []


def test_party_search_finds_an_identifier_in_any_spelling(app):
    for q in ("11222333000181", "11.222.333/0001-81"):
        body = app.test_client().get("/api/v1/parties", query_string={"q": q}).get_json()
        assert [item["name"] for item in body["items"]] == ["Canal 007"], q


def test_a_work_of_many_records_answers_pages_of_every_list(search_registry):
    records = DETAIL_PAGE + 20
    shared = {"scheme": "proprietary:test", "value": "SHARED-1"}
    items = [
        (
            f"rec-{n:03d}",
            {
                "titles": [{"text": f"Obra {n}", "language": "pt", "kind": "translated"}]
                + ([{"text": "Obra original", "language": "pt"}] if n == 60 else []),
                "identifiers": [shared, {"scheme": "proprietary:rec", "value": f"R{n}"}],
                "countries_of_origin": ["BR" if n % 2 else "AR"],
                "rights": [{"holder": {"kind": "organization", "name": "Dona"},
                            "right_type": "economic", "share_pct": 1, "territories": ["AR"]}],
            },
        )
        for n in range(records)
    ]  # fmt: skip
    [work_id] = set(write_aggregates(search_registry, items))
    client = create_app(registry=search_registry).test_client()
    detail = client.get(f"/api/v1/works/{work_id}").get_json()
    assert detail["display_title"] == "Obra original", "the only original title is shown"
    assert detail["countries_of_origin"] == ["AR", "BR"]
    for name, total in (("titles", records + 1), ("identifiers", records * 2)):
        assert len(detail[name]) == DETAIL_PAGE
        assert detail["pages"][name] == {"total": total, "returned": DETAIL_PAGE, "next": None}
    assert all(fact["source"]["key"] for fact in detail["titles"] + detail["rights"])
    sources = detail["pages"]["sources"]
    assert (sources["total"], sources["returned"]) == (records, DETAIL_PAGE)
    rest = client.get(sources["next"]).get_json()
    keys = [s["key"] for s in detail["sources"] + rest["items"]]
    assert keys == [f"rec-{n:03d}" for n in range(records)] and rest["page"]["next"] is None

    body = client.get(f"/api/v1/works/{work_id}/availability?territory=AR").get_json()
    [over] = body["conflicts"]
    assert over["type"] == "shares_over_100" and over["total_pct"] == records
    assert len(over["rights"]) == 50 and over["rights"] == sorted(over["rights"])
    assert body["rights"][0]["source"]["key"] == "rec-000"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/parties?q=a%00b",
        "/api/v1/works?q=a%01b",
        "/api/v1/works?party=a%00b",
        "/api/v1/works/by-identifier/br_cpb/B%00",
        "/api/v1/works/by-identifier/isan/a%00b",
        "/api/v1/works/by-identifier/proprietary:x/a%7Fb",
    ],
)
def test_control_characters_in_search_text_or_identifiers_are_answered_422(app, url):
    response = app.test_client().get(url)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "control characters" in response.get_data(as_text=True)
