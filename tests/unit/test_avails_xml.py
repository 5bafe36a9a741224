"""The Avails XML importer on MovieLabs samples: records, refused parts, hierarchy, XSD."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.avails.validation import avails_version, schema_for
from importers.avails.xml_importer import AvailsXmlImporter
from importers.base import ParsedRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "avails"


def _records(name: str) -> list[ParsedRecord]:
    """Return every record the importer yields for a test file."""
    return list(AvailsXmlImporter().records(DATA / name))


def _by_locator(records: list[ParsedRecord]) -> dict[str, ParsedRecord]:
    """Index records by their locator without the line number."""
    return {record.locator.split(" (line")[0]: record for record in records}


def test_sniff_recognises_avails_by_namespace() -> None:
    path = DATA / "Avails_withErrors.xml"
    assert AvailsXmlImporter.sniff(path.read_bytes()[:65536], path)
    assert not AvailsXmlImporter.sniff(b"<AvailList/>", path)


def test_versions_and_schemas() -> None:
    assert avails_version("http://www.movielabs.com/schema/avails/v2.2.2/avails") == "2.2.2"
    assert avails_version("http://www.movielabs.com/schema/avails/v2.7/avails") == "2.7"
    assert avails_version("http://www.movielabs.com/schema/avails/v3.0/avails") is None
    assert schema_for("2.4") is not None
    assert schema_for("2.7") is None


def _findings(record: ParsedRecord, severity: str = "warning") -> dict[str, list[str]]:
    """Return a record's findings of one severity as messages by field."""
    found: dict[str, list[str]] = {}
    for finding in record.findings:
        if finding.severity == severity:
            found.setdefault(finding.path.split(" (line")[0], []).append(finding.message)
    return found


def test_with_errors_file_refuses_only_errors_and_keeps_warnings_beside_the_records() -> None:
    records = _by_locator(_records("Avails_withErrors.xml"))
    assert set(records) == {
        "/AvailList/Avail[1]",
        "/AvailList/Avail[1]/Transaction[1]",
        "/AvailList/Avail[2]",
    }
    first_txn = records["/AvailList/Avail[1]/Transaction[1]"]
    assert first_txn.errors == {"Territory": ["'JJ' is not an ISO 3166-1 country"]}
    assert "'XYZ' is not a known language code" in _findings(first_txn)["AllowedLanguage"][0]
    assert 'TransactionID="1431081"' in first_txn.raw

    bravados = records["/AvailList/Avail[1]"]
    assert bravados.errors == {}
    assert bravados.key == "md:pseudoalid:wprid.fox.com:001143"
    assert [lic["external_id"] for lic in bravados.data["licenses"]] == ["1432642"]
    assert "fr" not in bravados.data["licenses"][0]["languages"]
    warnings = _findings(bravados)
    assert "'ENg'" in warnings["/AvailList/Avail[1]/Transaction[2]/AssetLanguage"][0]
    assert (
        "region 'xx' is reserved for private use"
        in warnings["/AvailList/Avail[1]/Transaction[2]/AllowedLanguage"][0]
    )
    mpaa = warnings["/AvailList/Avail[1]/Asset/Metadata/Ratings/Rating[1]"]
    assert "'6' is not a rating of the MPAA system" in mpaa[0]

    dodgeball = records["/AvailList/Avail[2]"]
    assert dodgeball.errors == {}
    assert [lic["external_id"] for lic in dodgeball.data["licenses"]] == ["957373", "957355"]
    assert dodgeball.data["licenses"][0]["terms"]["avails_terms"] == {"WSP": {"amount": "999.99"}}
    warnings = _findings(dodgeball)
    assert (
        "did you mean 'Library'"
        in warnings["/AvailList/Avail[2]/Transaction[2]/LicenseRightsDescription"][0]
    )
    fpb = warnings["/AvailList/Avail[2]/Asset/Metadata/Ratings/Rating[2]"]
    assert "'Sex' is not a reason code of the FPB system" in fpb[0]
    ratings = dodgeball.data["attributes"]["ratings"]
    assert ratings == [{"region": "DE", "system": "MPAA", "value": "PG", "reasons": []}]


def test_locators_carry_the_line_of_the_element() -> None:
    records = _records("Avails_withErrors.xml")
    assert records[0].locator == "/AvailList/Avail[1] (line 7)"
    assert records[1].locator == "/AvailList/Avail[1]/Transaction[1] (line 48)"


def test_volume_claiming_episodes_of_another_volume_is_refused() -> None:
    records = _by_locator(_records("Avails_Volume_error_v2.4.xml"))
    volume_one = records["/AvailList/Avail[7]"]
    assert list(volume_one.errors) == ["Asset/VolumeMetadata/VolumeFirstEpisodeNumber"]
    overlap = volume_one.errors["Asset/VolumeMetadata/VolumeFirstEpisodeNumber"][0]
    assert "episodes 3-4 are already in volume 'md:alid:sofaspud.com:krfs-s1-v2'" in overlap
    assert "(/AvailList/Avail[5])" in overlap
    eidr = _findings(volume_one)["Asset/VolumeMetadata/VolumeEIDR-URN"][0]
    assert "0000-0000-0000-0000-0000-1" in eidr
    volume_two = records["/AvailList/Avail[5]"]
    assert volume_two.errors == {}
    assert list(_findings(volume_two)) == ["Asset/VolumeMetadata/VolumeEIDR-URN"]
    assert {
        "scheme": "eidr",
        "value": "10.5240/0000-0000-0000-0000-0000-2",
        "verified": False,
    } in volume_two.data["identifiers"]
    episodes = [r for r in records.values() if r.data and r.data["work_type"] == "episode"]
    assert sorted(e.data["sequence"] for e in episodes) == [1, 2, 3, 4, 5, 6, 7]
    assert all(not e.errors for e in episodes)


def test_episodes_link_to_season_and_season_to_series() -> None:
    records = _records("Avails_Volume_error_v2.4.xml")
    episode = records[0]
    assert episode.data["parent"] == {"scheme": "proprietary:sofaspud.com", "value": "krfs-s01"}
    season = next(r for r in records if r.key == "Season:md:cid:sofaspud.com:krfs-s01")
    assert season.data["work_type"] == "season"
    assert season.data["sequence"] == 1
    assert season.data["episode_count"] == 7
    assert season.data["parent"] == {"scheme": "proprietary:sofaspud.com", "value": "krfs"}
    series = next(r for r in records if r.key == "Series:md:cid:sofaspud.com:krfs")
    assert [t["text"] for t in series.data["titles"]] == ["Killer Rabbits from Space"]
    assert series.authoritative is False


def test_season_avail_is_not_duplicated_by_a_derived_season() -> None:
    records = _records("Avails_noErrors_v2.4_cut.xml")
    keys = [record.key for record in records]
    assert keys == [
        "md:pseudoalid:wprid.fox.com:001143",
        "596509",
        "md:alid:disney.com:jake-s01e01",
        "md:alid:disney.com:jake-s01",
        "Series:md:cid:disney.com:jake",
    ]
    collection = records[1].data
    assert collection["work_type"] == "other"
    assert collection["attributes"]["avails_work_type"] == "Collection"
    assert collection["attributes"]["bundled_alids"] == [
        "33483_OV",
        "33600_OV",
        "33601_OV",
        "33602_OV",
        "33603_OV",
    ]
    assert collection["titles"][0]["text"] == "Star Wars: The Digital Movie Collection (5)"


def test_movie_avail_maps_to_a_work_with_licences() -> None:
    bravados = _records("Avails_noErrors_v2.4_cut.xml")[0].data
    assert bravados["work_type"] == "movie"
    assert bravados["year"] == 1958
    assert bravados["runtime_minutes"] == 97.82
    assert {"scheme": "eidr", "value": "10.5240/8FF3-1C20-84F5-F247-8BCD-E"} in bravados[
        "identifiers"
    ]
    assert bravados["titles"][:2] == [
        {"text": "THE BRAVADOS", "kind": "local"},
        {"text": "Bravados, The", "kind": "alternative"},
    ]
    first = bravados["licenses"][0]
    assert first["licensor"] == {"kind": "organization", "name": "20th Century Fox"}
    assert first["languages"][:3] == ["ar", "cmn", "cs"]
    assert first["start"] == "1917-09-24"
    assert first["terms"]["end_condition"] == "Open"


def _variant(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """Write a copy of the cut sample with one text replaced."""
    text = (DATA / "Avails_noErrors_v2.4_cut.xml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.xml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def test_xsd_violation_inside_a_transaction_refuses_only_that_transaction(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "<avails:ReportingID>001143</avails:ReportingID>",
        "<avails:Bogus>1</avails:Bogus>",
    )
    records = _by_locator(list(AvailsXmlImporter().records(path)))
    refused = records["/AvailList/Avail[1]/Transaction[1]"]
    assert "XSD 2.4: Element 'Bogus': This element is not expected" in refused.errors["Bogus"][0]
    assert records["/AvailList/Avail[1]"].errors == {}
    assert len(records["/AvailList/Avail[1]"].data["licenses"]) == 1


def test_xsd_violation_in_the_asset_refuses_the_avail(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "<avails:WorkType>Movie</avails:WorkType>",
        "<avails:WorkType>Movie</avails:WorkType><avails:Junk/>",
    )
    records = _by_locator(list(AvailsXmlImporter().records(path)))
    errors = records["/AvailList/Avail[1]"].errors
    assert any("Element 'Junk'" in reason for reason in errors["Asset/Junk"])


def test_version_without_xsd_is_checked_against_vocabularies(tmp_path: Path) -> None:
    path = _variant(tmp_path, "avails/v2.4/avails", "avails/v2.7/avails")
    text = path.read_text(encoding="utf-8").replace(
        "<md:country>US</md:country>", "<md:country>JJ</md:country>", 1
    )
    path.write_text(text, encoding="utf-8")
    records = _by_locator(list(AvailsXmlImporter().records(path)))
    assert records["/AvailList/Avail[1]/Transaction[1]"].errors["Territory"] == [
        "'JJ' is not an ISO 3166-1 country"
    ]


def test_delete_disposition_withdraws_the_key(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "<avails:EntryType>Full Extract</avails:EntryType>",
        "<avails:EntryType>Full Delete</avails:EntryType>",
    )
    first = next(iter(AvailsXmlImporter().records(path)))
    assert first.action == "delete"
    assert first.key == "md:pseudoalid:wprid.fox.com:001143"
    assert first.errors == {}


def test_unknown_entry_type_is_refused_and_a_repeated_alid_keeps_both_avails(
    tmp_path: Path,
) -> None:
    path = _variant(
        tmp_path,
        "<avails:ALID>596509</avails:ALID>",
        "<avails:ALID>md:pseudoalid:wprid.fox.com:001143</avails:ALID>",
    )
    text = path.read_text(encoding="utf-8").replace("Full Extract", "Partial Extract", 1)
    path.write_text(text, encoding="utf-8")
    records = _by_locator(list(AvailsXmlImporter().records(path)))
    assert (
        "'Partial Extract' is not a known EntryType"
        in (records["/AvailList/Avail[1]"].errors["Disposition/EntryType"][0])
    )
    second = records["/AvailList/Avail[2]"]
    assert second.errors == {}
    assert second.key == "md:pseudoalid:wprid.fox.com:001143#2"
    assert "was already used by /AvailList/Avail[1]" in _findings(second, "notice")["ALID"][0]


@pytest.mark.parametrize("name", ["Avails_withErrors.xml", "Avails_noErrors_v2.4_cut.xml"])
def test_records_are_reproducible(name: str) -> None:
    first = [(r.locator, r.key, r.data, r.errors) for r in _records(name)]
    second = [(r.locator, r.key, r.data, r.errors) for r in _records(name)]
    assert first == second
