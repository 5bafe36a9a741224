"""Index documents stay under Elasticsearch's nested-object limit without changing what matches."""

from __future__ import annotations

import orjson

from registry.search.document_bounds import MAX_NESTED, NESTED, bound_nested


def _licence(n: int, territories: list[str], media: str = "svod", start: str = "2026-01-01"):
    """Return a nested licence as the builder makes it."""
    return {
        "license_id": n,
        "licensor_id": None,
        "licensor_name": None,
        "licensee_id": 7,
        "licensee_name": "Canal",
        "licensee_folded": "canal",
        "media": [media],
        "territories": territories,
        "languages": ["es"],
        "start": start,
        "end": "2027-12-31",
        "exclusive": True,
        "status": "active",
    }


def _document(titles=1, contributors=1, rights=(), licences=()):
    """Return a document with the given nested lists."""
    return {
        "work_id": 1,
        "titles": [{"text": f"T{i}"} for i in range(titles)],
        "contributors": [{"party_id": i, "role": "director"} for i in range(contributors)],
        "rights": list(rights),
        "licenses": list(licences),
    }


def _matches(licences):
    """Return every (media, territory, start) a nested licence query can match."""
    return {
        (tuple(lic["media"]), territory, lic["start"])
        for lic in licences
        for territory in orjson.loads(orjson.dumps(lic["territories"]))
    }


def test_a_document_within_the_limit_is_left_as_it_is():
    document = _document(licences=[_licence(n, ["BR"]) for n in range(MAX_NESTED - 2)])
    copy = orjson.loads(orjson.dumps(document))
    assert bound_nested(document) is document
    assert document == copy


def test_restated_rights_and_licences_split_by_territory_shrink_to_what_a_search_tells_apart():
    right = {"holder_id": 3, "right_type": "distribution", "territories": ["UY"]}
    territories = [f"T{n % 250:03d}" for n in range(9_000)]
    licences = [
        _licence(n, [territory], media="svod" if n % 2 else "tvod")
        for n, territory in enumerate(territories)
    ]
    licences.append(_licence(99_999, orjson.Fragment(b'["UY","AR"]')))  # stored JSON, embedded
    rights = [dict(right) for _ in range(5_000)]
    document = bound_nested(_document(rights=rights, licences=licences))
    assert document["rights"] == [right]
    assert len(document["licenses"]) == 2, "one per medium: they differ in nothing else"
    assert _matches(document["licenses"]) == _matches(licences)
    assert document["licenses"][0]["license_id"] == 0, "the first licence of a group names it"


def test_distinct_facts_beyond_the_limit_are_cut_longest_list_first_oldest_kept():
    licences = [_licence(n, ["BR"], start=f"{1000 + n % 9000:04d}-01-01") for n in range(12_000)]
    document = bound_nested(_document(titles=3, contributors=1_500, licences=licences))
    assert sum(len(document[name]) for name in NESTED) == MAX_NESTED
    assert len(document["titles"]) == 3 and len(document["contributors"]) == 1_500
    kept = document["licenses"]
    assert [lic["license_id"] for lic in kept] == list(range(len(kept)))
