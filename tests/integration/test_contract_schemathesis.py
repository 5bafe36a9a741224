"""Schemathesis against the app in process: the quick loop beside scripts/contract's live run."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from registry.app import create_app
from registry.search import indexer, management
from tests.helpers import write_aggregates

TAGS = ("works", "parties", "exchange")  # the read resources; others test their own


@pytest.fixture
def api_schema(search_registry):
    """Return the app's OpenAPI document, loaded by Schemathesis, over two indexed works."""
    ids = write_aggregates(
        search_registry,
        [
            (
                "a",
                {
                    "titles": [{"text": "Relatos Salvajes", "language": "es"}],
                    "year": 2014,
                    "countries_of_origin": ["AR"],
                    "licenses": [
                        {
                            "licensee": {"kind": "organization", "name": "Sur SA"},
                            "media": ["svod"],
                            "territories": ["AR"],
                            "exclusive": True,
                        }
                    ],
                },
            ),
            ("b", {"titles": [{"text": "Whisky"}], "year": 2004}),
        ],
    )
    indexer.index_works(search_registry, ids)
    management.refresh(search_registry.search, search_registry.index_prefix)
    app = create_app(registry=search_registry)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).include(
        tag_regex=f"^({'|'.join(TAGS)})$"
    )


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    allow_header_conformance,
]


def test_api_answers_as_documented(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case):  # noqa: ANN001, ANN202
            response = case.call()
            case.validate_response(response, checks=CHECKS)

        answers_as_documented()
