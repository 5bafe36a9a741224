"""The records the mec-xml importer yields for MEC and manifest files."""

from __future__ import annotations

import pytest

from importers.base import UnreadableFile
from importers.mec import MecXmlImporter
from schemas.aggregate import WORK_AGGREGATE
from tests.conftest import TEST_DATA

MEC = TEST_DATA / "mec"


def _records(name: str) -> list:
    """Return every record the importer yields for a test file."""
    return list(MecXmlImporter().records(MEC / name))


def _by_role(data: dict, role: str) -> list[tuple[str, int | None]]:
    """Return (name, credit order) of the contributions with a role."""
    return [
        (c["party"]["name"], c["credit_order"]) for c in data["contributions"] if c["role"] == role
    ]


def test_sniff_recognises_mec_and_manifest_roots_by_content():
    for name in ("VEEP_Season5_E4_mec.xml", "CM_withErrors.xml", "core-metadata-list.xml"):
        path = MEC / name
        assert MecXmlImporter.sniff(path.read_bytes()[:65536], path)
    sample = TEST_DATA.parent.parent / "pyproject.toml"
    assert not MecXmlImporter.sniff(sample.read_bytes(), sample)
    assert not MecXmlImporter.sniff(b"id_titulo,titulo\nT1,x\n", MEC / "x.xml")


def test_veep_episode_is_one_valid_record_with_its_parent():
    [record] = _records("VEEP_Season5_E4_mec.xml")
    assert record.errors == {}
    assert record.key == "md:cid:eidr-s:FBEB-FA47-487D-420A-8E31-I"
    assert record.locator == "/CoreMetadata/Basic[1] (line 8)"
    assert record.raw.startswith("<mdmec:Basic") and "Julia Louis-Dreyfus" in record.raw
    data = WORK_AGGREGATE.load(record.data)
    assert data["work_type"] == "episode"
    assert data["year"] == 2016
    assert data["identifiers"] == [
        {"scheme": "eidr", "value": "10.5240/FBEB-FA47-487D-420A-8E31-I"}
    ]
    assert data["parent"] == {"scheme": "eidr", "value": "10.5240/2D99-3C1C-9F31-3E10-3411-1"}
    assert data["sequence"] == 4
    assert data["countries_of_origin"] == ["US"]
    assert data["original_languages"] == ["en"]
    attributes = data["attributes"]
    assert attributes["house_sequence"] == "42"
    assert attributes["parent_relationship"] == "isepisodeof"
    assert attributes["ratings"] == [{"region": "US", "system": "TVPG", "value": "TV-MA"}]
    assert {"performer": "Julia Louis-Dreyfus", "character": "Selina Meyer"} in attributes[
        "characters"
    ]


def test_veep_titles_follow_the_original_title_element():
    [record] = _records("VEEP_Season5_E4_mec.xml")
    titles = {(t["text"], t["kind"]) for t in record.data["titles"]}
    assert titles == {("Thanksgiving", "original"), ("Mother", "alternative")}


def test_veep_people_become_contributions_with_billing_order():
    [record] = _records("VEEP_Season5_E4_mec.xml")
    data = record.data
    performers = _by_role(data, "performer")
    assert performers[0] == ("Julia Louis-Dreyfus", 1)
    assert ("Sam Richardson", 10) in performers and len(performers) == 10
    assert _by_role(data, "director") == [("Chris Addison", None)]
    assert len(_by_role(data, "producer")) == 12
    assert {name for name, _ in _by_role(data, "screenwriter")} == {
        "Sean Gray",
        "Georgia Pritchett",
        "Will Smith",
    }
    assert _by_role(data, "distributor") == [("HBO", None)]


def test_errors_file_keeps_the_record_with_a_warning_for_each_bad_value():
    [record] = _records("CM_withErrors.xml")
    assert record.errors == {}
    assert record.locator == "/MediaManifest/Inventory[1]/Metadata[1]/BasicMetadata[1] (line 80)"
    found = {f.path: (f.severity, f.code, f.message) for f in record.findings}
    assert set(found) == {
        "ReleaseHistory[2]/DistrTerritory/country (line 106)",
        "WorkType (line 111)",
        "RatingSet/Rating[1]/System (line 118)",
        "RatingSet/Rating[4]/Region/country (line 140)",
        "RatingSet/Rating[8]/Region/countryRegion (line 177)",
        "PrimarySpokenLanguage[4] (line 213)",
        "PrimarySpokenLanguage[8] (line 218)",
    }
    assert {severity for severity, _, _ in found.values()} == {"warning"}
    assert "XY" in found["ReleaseHistory[2]/DistrTerritory/country (line 106)"][2]
    assert found["WorkType (line 111)"][1] == "vocabulary-case"
    assert "did you mean 'Movie'" in found["WorkType (line 111)"][2]
    assert "'USA'" in found["RatingSet/Rating[4]/Region/country (line 140)"][2]
    assert "en-USA" in found["PrimarySpokenLanguage[4] (line 213)"][2]


def test_errors_file_keeps_the_valid_parts():
    record = _records("CM_withErrors.xml")[0]
    data = WORK_AGGREGATE.load(record.data)
    assert data["work_type"] == "movie"
    assert data["year"] == 2008
    assert data["runtime_minutes"] == 10.0
    assert [t["text"] for t in data["titles"]] == ["Big Buck Bunny"]
    ratings = data["attributes"]["ratings"]
    assert {"region": "CA", "system": "FOOBAR", "value": "16"} in ratings
    assert {"region": "CA-QC", "system": "MPAA", "value": "G"} in ratings
    assert len(ratings) == 5
    assert [r["territory"] for r in data["attributes"]["releases"]] == ["DE"]
    assert data["original_languages"] == [
        "de-DE",
        "en-DE",
        "en",
        "en-1694acad",
        "yee-HK",
        "cmn-Hans-CN",
    ]
    assert _by_role(data, "director") == [("Sacha Goedegebure", 1)]
    assert _by_role(data, "screenwriter") == [("Sacha Goedegebure", 1)]


def test_core_metadata_list_keeps_a_content_id_failing_its_check_unverified():
    season, bad = _records("core-metadata-list.xml")
    assert season.locator == "/CoreMetadataList/CoreMetadata[1]/Basic[1] (line 7)"
    assert bad.locator == "/CoreMetadataList/CoreMetadata[2]/Basic[1] (line 79)"
    assert bad.errors == {}
    [finding] = bad.findings
    assert (finding.code, finding.path) == ("identifier-unverified", "@ContentID (line 79)")
    assert "require '1'" in finding.message
    assert WORK_AGGREGATE.load(bad.data)["identifiers"] == [
        {"scheme": "eidr", "value": "10.5240/2D99-3C1C-9F31-3E10-3411-X", "verified": False}
    ]
    data = WORK_AGGREGATE.load(season.data)
    assert data["parent"] == {"scheme": "proprietary:example.org", "value": "series"}
    assert data["sequence"] == 1 and data["work_type"] == "season"
    assert data["countries_of_origin"] == ["UY", "AR"]
    assert {(i["scheme"], i["value"], i.get("verified", True)) for i in data["identifiers"]} == {
        ("proprietary:example.org", "season-1", True),
        ("isan", "0000-0001-63AD-0000-0", True),
        ("isan", "0000-0000-163A-D000-7", False),
        ("imdb", "tt0111161", True),
        ("proprietary:Studio-Catalog", "SC-001", True),
    }
    kinds = {(t["text"], t["language"], t["kind"], t["territory"]) for t in data["titles"]}
    assert ("Season one", "en-GB", "local", "GB") in kinds
    assert ("La primera", "es", "alternative", None) in kinds
    assert data["attributes"]["other_credits"] == [
        {"name": "Ana Pérez", "job": "Key Grip", "credit_order": None}
    ]
    assert data["attributes"]["related"] == [
        {"relationship": "ispromotionfor", "content_id": "md:cid:org:example.org:festival"}
    ]
    [producer] = [c for c in data["contributions"] if c["role"] == "production_company"]
    assert producer["party"]["identifiers"] == []


def test_core_metadata_list_problems_name_the_element_and_attribute():
    season = _records("core-metadata-list.xml")[0]
    found = [(f.path.split(" (line")[0], f.code) for f in season.findings]
    assert found == [
        ("LocalizedInfo[3]/@language", "value-refused"),
        ("RunLength", "value-refused"),
        ("AltIdentifier[2]", "identifier-unverified"),
        ("AssociatedOrg[1]/@organizationID", "value-refused"),
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("hostile-entities.xml", "declares entities"),
        ("manifest-without-metadata.xml", "no inline BasicMetadata"),
        ("localized-info-delivery.xml", "LocalizedInfoDelivery"),
        ("truncated-mec.xml", "line 17, column 78"),
    ],
)
def test_unimportable_files_are_refused_with_the_reason(name, reason):
    with pytest.raises(UnreadableFile, match=reason):
        _records(name)
