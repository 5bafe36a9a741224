"""The mapping shared by Avails XML and XLSX: identifiers, territories, licences, vocabularies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from importers.avails import vocab
from importers.avails.mapping_license import build_license, territory
from importers.avails.mapping_work import alid_identifier, build_work, content_id_identifier

LICENSOR = {"kind": "organization", "name": "Sofa Spud Films"}


def _transaction(**overrides: Any) -> dict[str, Any]:
    """Return a transaction as Avails_Volume_error_v2.4.xml's first Avail states it."""
    txn = {
        "locator": "/AvailList/Avail[1]/Transaction[1] (line 52)",
        "raw": "<avails:Transaction/>",
        "labels": {},
        "transaction_id": "ssc-krfs-s01-e06",
        "license_type": "EST",
        "territories": ["US"],
        "excluded": [],
        "start": "2017-05-05T00:00:00",
        "end": "2017-12-11T23:59:59",
        "allowed_languages": ["en"],
        "format_profile": "HD",
        "terms": [
            {"name": "SuppressionLiftDate", "kind": "Event", "value": "2015-04-06"},
            {"name": "SRP", "kind": "Money", "value": "4.99", "currency": None},
        ],
    }
    txn.update(overrides)
    return txn


@pytest.mark.parametrize(
    ("content_id", "expected"),
    [
        (
            "md:cid:eidr-s:8FF3-1C20-84F5-F247-8BCD-E",
            ("eidr", "10.5240/8FF3-1C20-84F5-F247-8BCD-E"),
        ),
        ("md:cid:org:sofaspud.com:krfs-s01", ("proprietary:sofaspud.com", "krfs-s01")),
        ("md:cid:sofaspud.com:krfs-s01-e06", ("proprietary:sofaspud.com", "krfs-s01-e06")),
        ("md:cid:disney.com:jake", ("proprietary:disney.com", "jake")),
    ],
)
def test_content_ids_map_to_identifiers(content_id: str, expected: tuple[str, str]) -> None:
    ident = content_id_identifier(content_id)
    assert ident is not None
    assert (ident["scheme"], ident["value"]) == expected


def test_bare_ids_are_not_global_identifiers() -> None:
    assert content_id_identifier("030434") is None
    assert alid_identifier("33603_OV") is None
    assert alid_identifier("md:alid:disney.com:jake-s01") == {
        "scheme": "alid",
        "value": "md:alid:disney.com:jake-s01",
    }
    assert alid_identifier("md:pseudoalid:wprid.fox.com:001143") is not None


def test_territory_checks() -> None:
    assert territory("us") == ("US", None)
    assert territory("JJ") == (None, "'JJ' is not an ISO 3166-1 country")
    assert territory("CA-QC")[1].startswith("'CA-QC' is a country subdivision")
    assert territory("WORLD")[0] == "WORLD"


def test_transaction_becomes_a_licence() -> None:
    license_, errors = build_license(_transaction(), LICENSOR, None)
    assert errors == {}
    assert license_["media"] == ["est"]
    assert license_["territories"] == ["US"]
    assert license_["languages"] == ["en"]
    assert (license_["start"], license_["end"]) == ("2017-05-05", "2017-12-11")
    assert license_["external_id"] == "ssc-krfs-s01-e06"
    assert license_["licensor"] == LICENSOR
    assert license_["exclusive"] is None
    assert license_["terms"]["avails_terms"] == {
        "SuppressionLiftDate": "2015-04-06",
        "SRP": {"amount": "4.99"},
    }
    assert license_["terms"]["format_profile"] == "HD"


def test_open_end_is_kept_as_a_condition_with_no_date() -> None:
    txn = _transaction(end=None, end_condition="Open", start=None, start_condition="ESTStart")
    license_, errors = build_license(txn, LICENSOR, None)
    assert errors == {}
    assert (license_["start"], license_["end"]) == (None, None)
    assert license_["terms"]["end_condition"] == "Open"
    assert license_["terms"]["start_condition"] == "ESTStart"


def test_exclusivity_and_title_status_go_to_their_fields() -> None:
    terms = [
        {"name": "Exclusive", "kind": "Boolean", "value": "true"},
        {"name": "ExclusiveAttributes", "kind": "Text", "value": "HD only"},
        {"name": "TitleStatus", "kind": "Text", "value": "Revoked"},
    ]
    license_, errors = build_license(_transaction(terms=terms), LICENSOR, None)
    assert errors == {}
    assert license_["exclusive"] is True
    assert license_["status"] == "cancelled"
    assert license_["terms"]["avails_terms"] == {"ExclusiveAttributes": "HD only"}


def test_excluded_territories_without_included_mean_world_except() -> None:
    license_, errors = build_license(_transaction(territories=[], excluded=["US"]), None, None)
    assert errors == {}
    assert license_["territories"] == ["WORLD"]
    assert license_["excluded_territories"] == ["US"]


LABELS = {
    "territories": "Territory",
    "allowed_languages": "AllowedLanguage",
    "license_type": "LicenseType",
    "format_profile": "FormatProfile",
    "end_condition": "EndCondition",
    "rights_description": "LicenseRightsDescription",
    "terms": "Term",
    "start": "Start",
}


@pytest.mark.parametrize(
    ("overrides", "label", "fragment"),
    [
        ({"territories": ["JJ"]}, "Territory", "'JJ' is not an ISO 3166-1 country"),
        ({"license_type": "Betamax"}, "LicenseType", "unknown Avails LicenseType 'Betamax'"),
        ({"end_condition": "Whenever", "end": None}, "EndCondition", "'Whenever'"),
        ({"end": "2016-01-01"}, "end", "end is before start"),
        ({"start": None}, "Start", "Start is required"),
    ],
)
def test_transactions_whose_scope_or_window_is_unreadable_are_errors(
    overrides: dict, label: str, fragment: str
) -> None:
    txn = _transaction(**overrides)
    txn["labels"] = LABELS
    _, errors = build_license(txn, LICENSOR, None)
    assert label in errors, errors
    assert any(fragment in reason for reason in errors[label]), errors[label]


@pytest.mark.parametrize(
    ("overrides", "label", "code", "fragment"),
    [
        ({"allowed_languages": ["en", "XYZ"]}, "AllowedLanguage", "language-invalid", "'XYZ'"),
        (
            {"format_profile": "8K"},
            "FormatProfile",
            "vocabulary-unknown",
            "'8K' is not a known FormatProfile",
        ),
        (
            {"rights_description": "Librry"},
            "LicenseRightsDescription",
            "vocabulary-unknown",
            "did you mean 'Library'",
        ),
        (
            {"terms": [{"name": "Bonus", "kind": "Text", "value": "x"}]},
            "Term",
            "term-invalid",
            "'Bonus'",
        ),
    ],
)
def test_bad_values_inside_a_transaction_are_warnings_that_keep_the_licence(
    overrides: dict, label: str, code: str, fragment: str
) -> None:
    txn = _transaction(**overrides)
    txn["labels"] = LABELS
    license_, errors = build_license(txn, LICENSOR, None)
    assert dict(errors) == {}
    assert license_["media"] == ["est"]
    [finding] = errors.findings
    assert (finding.severity, finding.code, finding.path) == ("warning", code, label)
    assert fragment in finding.message


def test_spreadsheet_dates_are_accepted() -> None:
    txn = _transaction(start=datetime(2013, 6, 14), end=None, end_condition="Open")
    license_, errors = build_license(txn, None, None)
    assert errors == {}
    assert license_["start"] == "2013-06-14"


def test_unknown_rights_descriptions_pass_unless_they_look_like_typos() -> None:
    assert vocab.check_rights_description("Library") is None
    assert vocab.check_rights_description("Catalogue Deal 2019") is None
    assert "did you mean 'Library'" in vocab.check_rights_description("Librry")


def test_rating_checks() -> None:
    assert vocab.check_rating("MPAA", "PG-13", []) == []
    assert vocab.check_rating("FSK", "6", []) == []
    assert "'6' is not a rating of the MPAA system" in vocab.check_rating("MPAA", "6", [])[0]
    assert (
        "'Sex' is not a reason code of the FPB system"
        in vocab.check_rating("FPB", "7-9-PG", ["Sex"])[0]
    )


def test_episode_level_maps_hierarchy_and_sequence() -> None:
    season = {
        "level": "season",
        "content_id": "md:cid:disney.com:jake-s01",
        "number": "1",
        "titles": [],
        "labels": {},
    }
    level = {
        "level": "asset",
        "content_id": "md:cid:disney.com:jake-s01e01",
        "eidr_edit": "urn:eidr:10.5240:F926-336C-2666-0201-54E9-I",
        "titles": [{"text": "Hide The Hideout! /The Old Shell Game", "kind": "alternative"}],
        "number": "1",
        "run_length": "PT01H37M49S",
        "year": "2010-05",
        "parent": season,
        "labels": {},
    }
    work, errors = build_work(level, "Episode")
    assert errors == {}
    assert work["work_type"] == "episode"
    assert work["sequence"] == 1
    assert work["year"] == 2010
    assert work["runtime_minutes"] == 97.82
    assert work["parent"] == {"scheme": "proprietary:disney.com", "value": "jake-s01"}
    assert {"scheme": "eidr", "value": "10.5240/F926-336C-2666-0201-54E9-I"} in work["identifiers"]


def test_identifier_failing_its_check_is_kept_unverified_with_a_warning() -> None:
    level = {
        "level": "asset",
        "eidr_title": "urn:eidr:10.5240:0000-0000-0000-0000-0000-1",
        "titles": [{"text": "Killer Rabbits from Space: Season 1, Vol I", "kind": "local"}],
        "labels": {"eidr_title": "Asset/VolumeMetadata/VolumeEIDR-URN"},
    }
    work, errors = build_work(level, "Volume")
    assert work["work_type"] == "other"
    assert work["attributes"]["avails_work_type"] == "Volume"
    assert dict(errors) == {}
    assert work["identifiers"] == [
        {
            "scheme": "eidr",
            "value": "10.5240/0000-0000-0000-0000-0000-1",
            "verified": False,
        }
    ]
    [finding] = errors.findings
    assert finding.code == "identifier-unverified"
    assert finding.path == "Asset/VolumeMetadata/VolumeEIDR-URN"
    assert "require 'X'" in finding.message


def test_a_bad_title_language_or_region_leaves_the_title_with_a_warning() -> None:
    level = {
        "level": "asset",
        "titles": [
            {"text": "The Detectives", "kind": "local", "language": "EN, FR, ES", "territory": "ZZ"}
        ],
        "labels": {"titles": "EpisodeTitleDisplayUnlimited"},
    }
    work, errors = build_work(level, "Episode")
    assert dict(errors) == {}
    assert work["titles"] == [{"text": "The Detectives", "kind": "local"}]
    assert [(f.code, f.path) for f in errors.findings] == [
        ("language-invalid", "EpisodeTitleDisplayUnlimited/@language"),
        ("territory-invalid", "EpisodeTitleDisplayUnlimited/@region"),
    ]
