"""Content IDs, language tags, regions and work types as Common Metadata writes them."""

from __future__ import annotations

import pytest

from importers.mddf_identifiers import (
    ContentIdError,
    alt_identifier,
    checked_identifier,
    content_identifier,
)
from importers.mec.values import country_alpha2, language_tag, region_subtag, work_type


@pytest.mark.parametrize(
    ("content_id", "expected"),
    [
        (
            "md:cid:eidr-s:AD07-310C-C59D-6785-C63A-G",
            {"scheme": "eidr", "value": "10.5240/AD07-310C-C59D-6785-C63A-G"},
        ),
        (
            "md:cid:EIDR-URN:urn:eidr:10.5240:2D99-3C1C-9F31-3E10-3411-1",
            {"scheme": "eidr", "value": "10.5240/2D99-3C1C-9F31-3E10-3411-1"},
        ),
        (
            "md:cid:eidr:10.5240/FBEB-FA47-487D-420A-8E31-I",
            {"scheme": "eidr", "value": "10.5240/FBEB-FA47-487D-420A-8E31-I"},
        ),
        ("md:cid:org:sofaspud.com:krfs", {"scheme": "proprietary:sofaspud.com", "value": "krfs"}),
        (
            "md:cid:sofaspud.com:krfs-s01",
            {"scheme": "proprietary:sofaspud.com", "value": "krfs-s01"},
        ),
        ("md:cid:imdb:tt0111161", {"scheme": "imdb", "value": "tt0111161"}),
        (
            "md:cid:eidr-x:E6CA-AB58-E298-7BA0-E574-V:mlab",
            {"scheme": "proprietary:eidr-x", "value": "E6CA-AB58-E298-7BA0-E574-V:mlab"},
        ),
        (
            "urn:eidr:10.5240:AD07-310C-C59D-6785-C63A-G",
            {"scheme": "eidr", "value": "10.5240/AD07-310C-C59D-6785-C63A-G"},
        ),
    ],
)
def test_content_ids_map_to_registry_schemes(content_id, expected):
    found = content_identifier(content_id)
    assert checked_identifier(found["scheme"], found["value"]) == (expected, None)


def test_content_id_outside_any_scheme_gives_no_identifier():
    assert content_identifier("https://example.org/titles/42") is None


@pytest.mark.parametrize(
    ("content_id", "reason"),
    [
        ("md:cid:eidr-s", "md:cid:<namespace>:<identifier>"),
        ("md:cid:org:example.org", "md:cid:org:<org>:<identifier>"),
    ],
)
def test_bad_content_ids_are_refused_with_the_reason(content_id, reason):
    with pytest.raises(ContentIdError, match=reason):
        content_identifier(content_id)


def test_identifiers_failing_their_check_are_kept_unverified_with_the_reason():
    found = content_identifier("md:cid:eidr-s:2D99-3C1C-9F31-3E10-3411-X")
    checked, problem = checked_identifier(found["scheme"], found["value"])
    assert checked == {
        "scheme": "eidr",
        "value": "10.5240/2D99-3C1C-9F31-3E10-3411-X",
        "verified": False,
    }
    assert "require '1'" in problem
    isan = alt_identifier("ISAN", "0000-0000-163A-D000-7")
    checked, problem = checked_identifier(isan["scheme"], isan["value"])
    assert checked["verified"] is False and "first check character" in problem


def test_alt_identifiers_use_known_schemes_or_a_proprietary_namespace():
    assert alt_identifier("EIDR-S", "2D99-3C1C-9F31-3E10-3411-1") == {
        "scheme": "eidr",
        "value": "10.5240/2D99-3C1C-9F31-3E10-3411-1",
    }
    assert alt_identifier("ISAN", "0000-0001-63AD-0000-0")["scheme"] == "isan"
    assert alt_identifier("Studio Catalog", "SC-001") == {
        "scheme": "proprietary:Studio-Catalog",
        "value": "SC-001",
    }


def test_work_types_must_be_spelled_as_the_vocabulary():
    assert work_type("Movie") == "movie"
    assert work_type("Episode") == "episode"
    assert work_type("Non-episodic Show") == "other"
    assert work_type("Album") == "other"
    with pytest.raises(ValueError, match="did you mean 'Movie'"):
        work_type("movie")
    with pytest.raises(ValueError, match="not in the Common Metadata vocabulary"):
        work_type("Feature")


def test_language_tags_are_validated_and_standardised():
    assert language_tag("nl-nl") == "nl-NL"
    assert language_tag("EN") == "en"
    assert language_tag("es-419") == "es-419"
    for bad in ("en-USA", "sr-Latin-RS", "english", ""):
        with pytest.raises(ValueError):
            language_tag(bad)


def test_countries_must_be_two_letters():
    assert country_alpha2("us") == "US"
    with pytest.raises(ValueError, match="alpha-2"):
        country_alpha2("USA")
    with pytest.raises(ValueError, match="XY"):
        country_alpha2("XY")


def test_region_subtag_gives_the_territory_of_a_local_title():
    assert region_subtag("pt-BR") == "BR"
    assert region_subtag("es-419") is None
    assert region_subtag("zh-Hant-TW") == "TW"
    assert region_subtag("fr") is None
