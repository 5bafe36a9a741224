"""Searches a user would type, over the imported reference data, against the real node."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from sqlalchemy import select

from registry.app import create_app
from registry.context import Registry
from registry.migrate import upgrade
from registry.models import SourceRecord, Work, WorkCountry
from registry.search import indexer, management
from registry.services.imports import run_import
from tests.conftest import RUN_PREFIX, reference_file

FILES = [
    "ancine/obras-nao-pub-brasileiras-2023.csv",
    "ancine/obras-nao-pub-estrangeiras-2023.csv",
    "ancine/crt-obras-nao-publicitarias-2023.csv",
    "mddf/avails/Avails_noErrors_v2.4.xml",
    "mddf/common/VEEP_Season5_E4_mec.xml",
    "acau/acau-apoios-reembolsos-projetos-audiovisuais-2013-2024.csv",
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, es_url):
    """Import the reference files into a fresh database and index them."""
    folder = tmp_path_factory.mktemp("reference")
    reg = Registry.from_settings(
        {
            "instance_path": folder,
            "database_url": f"sqlite:///{folder / 'r.sqlite3'}",
            "elasticsearch_url": es_url,
            "index_prefix": f"{RUN_PREFIX}ref-{uuid.uuid4().hex[:6]}-",
            "testing": True,
        }
    )
    upgrade(reg)
    for name in FILES:
        report = run_import(reg, reference_file(name))
        assert report.reconciles()
    indexer.sync(reg)
    management.refresh(reg.search, reg.index_prefix)
    yield reg
    reg.close()


@pytest.fixture(scope="module")
def client(loaded):
    """Return an API client over the loaded registry."""
    return create_app(registry=loaded).test_client()


def _ids_for(loaded, scheme_value: str) -> int:
    """Return the work id holding an identifier value."""
    from registry.models import Identifier

    with loaded.sessions() as s:
        return s.scalars(select(Identifier.work_id).where(Identifier.value == scheme_value)).first()


def _top(client, **params) -> list[int]:
    """Return the work ids of the first page of a search."""
    body = client.get("/api/v1/works", query_string=params).get_json()
    return [item["id"] for item in body["items"]]


@pytest.mark.parametrize("text", ["10 cloverfield lane", "10 CLOVERFELD LANE", "cloverfield"])
def test_title_without_accents_lowercase_and_typo(client, loaded, text):
    assert _ids_for(loaded, "E1600122000000") in _top(client, q=text)[:3]


def test_accented_portuguese_title(client, loaded):
    work = _ids_for(loaded, "B2300198200000")
    assert (
        _top(client, q="orientacoes para os pacientes submetidos a cirurgia metabolica")[0] == work
    )


def test_company_name_finds_its_works(client, loaded):
    body = client.get("/api/v1/works", query_string={"q": "globo comunicacao participacoes"})
    assert body.get_json()["total"] > 10
    party = client.get("/api/v1/parties", query_string={"q": "globo comunicacao"}).get_json()
    assert party["total"] >= 1


@pytest.mark.parametrize("text", ["B2300453700000", "b2300453700000", "E1600122000000"])
def test_cpb_and_roe(client, loaded, text):
    assert _top(client, q=text)[0] == _ids_for(loaded, text.upper())


def test_eidr_in_urn_form(client, loaded):
    work = _ids_for(loaded, "10.5240/0C6B-73A7-3D92-3950-76BD-Q")
    assert work is not None
    assert _top(client, q="urn:eidr:10.5240:0C6B-73A7-3D92-3950-76BD-Q")[0] == work
    assert _top(client, q="10.5240/0c6b-73a7-3d92-3950-76bd-q")[0] == work


def test_facet_counts_equal_database_counts(client, loaded):
    body = client.get("/api/v1/works", query_string={"size": 1, "facets": "true"}).get_json()
    with loaded.sessions() as s:
        live = {w.id: w for w in s.scalars(select(Work).where(~Work.deleted))}
        countries = Counter(
            country
            for work_id, country in set(s.execute(select(WorkCountry.work_id, WorkCountry.country)))
            if work_id in live
        )
        agencies = Counter(
            agency
            for work_id, agency in set(
                s.execute(select(SourceRecord.work_id, SourceRecord.agency_code))
            )
            if work_id in live
        )
        types = Counter(w.work_type for w in live.values() if w.work_type)
    assert body["total"] == len(live)
    facets = {
        name: {b["value"]: b["count"] for b in buckets} for name, buckets in body["facets"].items()
    }
    assert facets["agency"] == dict(agencies)
    assert facets["work_type"] == dict(types)
    assert facets["country"] == dict(countries.most_common(100))


def test_availability_of_a_crt_licence(client, loaded):
    work = _ids_for(loaded, "B2300453700000")
    url = f"/api/v1/works/{work}/availability"
    body = client.get(
        url, query_string={"territory": "BR", "media": "pay_tv", "on": "2023-12-05"}
    ).get_json()
    [licence] = [lic for lic in body["licenses"] if lic["external_id"] == "2023044701000000"]
    assert licence["licensee"]["name"] == "MAGNO DE OLIVEIRA SOUZA"
    assert licence["start"] == "2023-12-05"
    before = client.get(
        url, query_string={"territory": "BR", "media": "pay_tv", "on": "2023-12-04"}
    ).get_json()
    assert before["licenses"] == [] and before["available"] is False


def test_pagination_with_cursor_walks_every_result(client, loaded):
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        params = {"agency": "UY-ACAU", "size": 100, "facets": "false"}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/v1/works", query_string=params).get_json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == body["total"]
