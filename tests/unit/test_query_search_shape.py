"""Search hits are shaped as the response schema says, so dumping them changes nothing."""

from __future__ import annotations

from registry.services.search import search_item
from schemas.responses import WORK_SEARCH, WorkSearchItemSchema


def test_a_hit_becomes_an_item_in_the_schemas_shape_and_order():
    hit = {
        "_source": {"work_id": 7, "display_title": "Whisky", "year": 2004, "agencies": ["UY-ACAU"]},
        "_score": 3.5,
    }
    item = search_item(hit)
    assert list(item) == list(WorkSearchItemSchema().fields)
    assert item["id"] == 7 and item["score"] == 3.5 and item["work_type"] is None
    assert "work_id" not in item


def test_dumping_a_search_answer_through_its_schema_is_the_identity():
    answer = {
        "total": 1,
        "total_relation": "eq",
        "items": [search_item({"_source": {"work_id": 1, "display_title": "X"}, "_score": None})],
        "facets": {"decade": [{"value": 2000, "count": 1}], "country": []},
        "next_cursor": None,
    }
    assert WORK_SEARCH.dump(answer) == answer
    assert list(WORK_SEARCH.dump(answer)) == list(answer)
