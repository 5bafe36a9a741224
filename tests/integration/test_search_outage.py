"""Elasticsearch stopped during an import: nothing is lost, the API answers 503, sync catches up."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from registry.app import create_app
from registry.context import Registry
from registry.devtools.local_es import LocalElasticsearch, LocalElasticsearchError
from registry.models import Work
from registry.search import indexer
from registry.services.imports import run_import
from tests.conftest import IN_CI, reference_file

OUTAGE_PORT = int(os.environ.get("REGISTRY_TEST_OUTAGE_PORT", "9251"))


@pytest.fixture(scope="module")
def own_node(es_url):
    """Start a second local node that this test may stop and start again."""
    if os.environ.get("REGISTRY_ELASTICSEARCH_URL"):
        pytest.skip("uses the local node manager; an external cluster is configured")
    node = LocalElasticsearch(port=OUTAGE_PORT)
    try:
        node.start(timeout=240)
    except LocalElasticsearchError as exc:
        if IN_CI:
            pytest.fail(f"could not start a second node: {exc}")
        pytest.skip(f"could not start a second node: {exc}")
    yield node
    node.stop()


def test_import_survives_search_outage(registry, own_node):
    reg = Registry(
        replace(registry.settings, elasticsearch_url=own_node.url, import_batch_size=250)
    )
    path = reference_file("ancine/obras-nao-pub-brasileiras-2023.csv")
    batches = {"n": 0}

    def stop_after_two(_count: int) -> None:
        batches["n"] += 1
        if batches["n"] == 2:
            own_node.stop()

    report = run_import(
        reg,
        path,
        after_commit=lambda ids: indexer.index_after_commit(reg, ids),
        progress=stop_after_two,
    )
    assert report.reconciles()
    assert report.counts["created"] > 3000
    assert report.indexed > 0 and report.index_pending > 0
    with reg.sessions() as s:
        works = s.scalar(select(func.count()).select_from(Work))
    assert indexer.pending_count(reg) == report.index_pending

    client = create_app(registry=reg).test_client()
    for url in ("/readyz", "/api/v1/works?q=casa"):
        response = client.get(url)
        assert response.status_code == 503
        assert response.get_json()["status"] == 503

    own_node.start(timeout=240)
    assert indexer.sync(reg) > 0
    reg.search.indices.refresh(index=f"{reg.index_prefix}works")
    status = indexer.status(reg)
    assert status.pending == 0
    assert status.documents == status.works == works
    assert client.get("/readyz").status_code == 200
    reg.close()
