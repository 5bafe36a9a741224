"""Accent-, case- and typo-insensitive title search against the real node."""

from __future__ import annotations

import pytest

from registry.search import indexer, management
from registry.services.search import search_works
from tests.helpers import write_aggregates


@pytest.fixture
def two_works(search_registry):
    """Index two works with accented and Spanish titles."""
    ids = write_aggregates(
        search_registry,
        [
            (
                "w1",
                {
                    "titles": [{"text": "Ação Cinematográfica", "language": "pt"}],
                    "work_type": "movie",
                    "year": 2020,
                    "countries_of_origin": ["BR"],
                },
            ),
            (
                "w2",
                {
                    "titles": [{"text": "Relatos Salvajes", "language": "es"}],
                    "work_type": "movie",
                    "year": 2014,
                    "countries_of_origin": ["AR", "ES"],
                },
            ),
        ],
    )
    assert indexer.index_works(search_registry, ids) == 2
    management.refresh(search_registry.search, search_registry.index_prefix)
    return dict(zip(("acao", "relatos"), ids, strict=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acao cinematografica", "acao"),
        ("ACÇÃO", "acao"),
        ("Ação", "acao"),
        ("relatos salvage", "relatos"),
        ("RELATOS SALVAJES", "relatos"),
        ("relatos selvajes", "relatos"),
    ],
)
def test_title_search_forgives_accents_case_and_typos(search_registry, two_works, query, expected):
    result = search_works(search_registry, {"q": query, "size": 10})
    ids = [item["id"] for item in result["items"]]
    assert ids and ids[0] == two_works[expected], (query, result["items"])


def test_unrelated_text_finds_nothing(search_registry, two_works):
    result = search_works(search_registry, {"q": "zzzz qqqq", "size": 10})
    assert result["total"] == 0
