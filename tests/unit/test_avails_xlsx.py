"""The EMA Avails spreadsheet importer on cuts of the MovieLabs templates."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

from importers.avails.xlsx_importer import AvailsXlsxImporter, _ranges
from importers.avails.xlsx_rows import cell_text, find_header, is_annotation_row
from importers.avails.xml_importer import AvailsXmlImporter
from importers.base import ParsedRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "avails"


def _records(name: str) -> list[ParsedRecord]:
    """Return every record the spreadsheet importer yields for a test file."""
    return list(AvailsXlsxImporter().records(DATA / name))


def test_sniff_needs_an_avails_header() -> None:
    movies = DATA / "Movies_v1.9_cut.xlsx"
    assert AvailsXlsxImporter.sniff(movies.read_bytes()[:65536], movies)
    xml = DATA / "Avails_withErrors.xml"
    assert not AvailsXlsxImporter.sniff(xml.read_bytes()[:65536], xml)
    assert not AvailsXmlImporter.sniff(movies.read_bytes()[:65536], movies)


def test_header_and_requirement_rows_are_recognised() -> None:
    rows = [
        ("Avail", "AvailTrans", "AvailTrans", "AvailAsset"),
        ("DisplayName", "Territory", "WorkType", "EntryType", "LicenseType", "ALID"),
        (1.9, "//Opt", "//REQ", "//REQ"),
    ]
    assert find_header(rows) == 1
    assert is_annotation_row(rows[2])
    assert is_annotation_row(("/REQ", "//Opt", "REQUIRED for pre-orders", "//Opt"))
    assert not is_annotation_row(("Rockstar Films", "US", "Movie", "Full Extract"))


def test_cell_text() -> None:
    assert cell_text(2006.0) == "2006"
    assert cell_text(7.99) == "7.99"
    assert cell_text(time(1, 56, 20)) == "01:56:20"
    assert cell_text("//e.g., rs_detectives") is None
    assert cell_text("  The   First Dance ") == "The First Dance"


def test_ranges() -> None:
    assert _ranges([6, 7, 8, 10]) == "6-8, 10"
    assert _ranges([4]) == "4"


def test_movie_rows_of_one_alid_form_one_avail() -> None:
    records = _records("Movies_v1.9_cut.xlsx")
    assert [r.locator for r in records] == ["Template-Movies!row 4-5", "Template-Movies!row 6-9"]
    view, dance = records
    assert view.key == "md:alid:eidr-s:1489-49A2-3956-4B2D-ZZ45-6"
    assert view.raw.splitlines()[0].startswith("Rockstar Films\t\tEN\tUS\t\t\tMovie\tFull Extract")
    licences = dance.data["licenses"]
    assert [lic["external_id"] for lic in licences] == [
        "543543-XYZ-WE-1",
        "543543-XYZ-WE-2",
        "543543-XYZ-WE-3",
        "543543-XYZ-WE-4",
    ]
    preorder = licences[0]
    assert preorder["media"] == ["tvod"]
    assert preorder["territories"] == ["CA"]
    assert preorder["start"] == "2013-04-14"
    assert preorder["end"] is None
    assert preorder["terms"]["end_condition"] == "ESTStart"
    assert preorder["terms"]["avails_terms"]["Tier"] == "1"
    assert preorder["terms"]["avails_terms"]["SuppressionLiftDate"] == "2012-12-10"
    assert preorder["exclusive"] is False
    assert licences[2]["end"] == "2013-05-28"
    assert dance.data["runtime_minutes"] == 116.33
    assert dance.data["year"] == 2013
    assert dance.data["titles"][0] == {
        "text": "The First Dance",
        "kind": "local",
        "language": "en",
        "territory": "CA",
    }


def _warnings(record: ParsedRecord) -> dict[str, str]:
    """Return the messages of a record's warnings by the column they name."""
    return {f.path: f.message for f in record.findings if f.severity == "warning"}


def test_template_placeholder_eidrs_are_kept_unverified_with_their_column() -> None:
    view, dance = _records("Movies_v1.9_cut.xlsx")
    assert view.errors == {} and dance.errors == {}
    assert "found 'K'" in _warnings(view)["TitleID"]
    assert "found 'Z'" in _warnings(view)["EditID"]
    assert (
        "the check character is 'A' but the digits before it require '5'"
        in _warnings(dance)["ContentID"]
    )
    unverified = [i for i in dance.data["identifiers"] if i.get("verified") is False]
    assert {i["value"] for i in unverified} == {
        "10.5240/1489-49A2-3956-4B2D-BEFK-7",
        "10.5240/1489-49A2-3956-4B2D-FE16-A",
    }


def test_tv_rows_build_the_hierarchy() -> None:
    records = _records("TV_v1.8_cut.xlsx")
    by_locator = {r.locator: r for r in records if not (r.key or "").startswith("Series:")}
    season = by_locator["Template-TV!row 4"]
    assert season.key == "rs_detectives_s1"
    assert season.data["work_type"] == "season"
    assert season.data["sequence"] == 1
    assert season.data["episode_count"] == 8
    episode = by_locator["Template-TV!row 8-9"]
    assert episode.data["work_type"] == "episode"
    assert episode.data["sequence"] == 1
    assert episode.data["parent"] == {
        "scheme": "eidr",
        "value": "10.5240/1489-49A2-3956-4B2D-FE16-5",
    }
    assert [t["text"] for t in episode.data["titles"]] == ["Temps et lieu", "Time and Place, The"]
    series = next(r for r in records if r.key and r.key.startswith("Series:"))
    assert [t["text"] for t in series.data["titles"]] == ["The Detectives", "Detectives, The"]
    assert series.errors == {}
    assert "check character is '4'" in _warnings(series)["SeriesContentID"]


def test_rows_whose_differing_identifiers_fail_their_check_stay_one_avail() -> None:
    records = {r.locator: r for r in _records("TV_v1.8_cut.xlsx")}
    episode = records["Template-TV!row 8-9"]
    assert episode.key == "rs_detectives_101" and episode.errors == {}
    assert len(episode.data["licenses"]) == 2
    differs = [f for f in episode.findings if f.code == "identifier-differs"]
    assert [(f.severity, f.path) for f in differs] == [
        ("warning", "EpisodeTitleID"),
        ("warning", "EpisodeID"),
    ]
    assert differs[0].message.startswith(
        "row 9: '10.5240/:4321-4321-4321-4321-4321-11' differs from "
        "'10.5240/:4321-4321-4321-4321-4321-10' on row 8 of the same ALID"
    )


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    """Write a one-sheet Avails workbook with the given rows under a header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "DisplayName",
            "Territory",
            "WorkType",
            "EntryType",
            "TitleDisplayUnlimited",
            "ALID",
            "ContentID",
            "LicenseType",
            "Start",
            "End",
        ]
    )
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_rows_of_one_alid_stating_other_verified_assets_become_other_avails(
    tmp_path: Path,
) -> None:
    first = [
        "Rockstar Films",
        "US",
        "Movie",
        "Full Extract",
        "The First Dance",
        "FD_2012",
        "md:cid:eidr-s:1489-49A2-3956-4B2D-FE16-5",
        "EST",
        "2013-05-14",
        "Open",
    ]
    other = [
        *first[:6],
        "md:cid:eidr-s:2D99-3C1C-9F31-3E10-3411-1",
        "VOD",
        "2013-05-28",
        "2013-09-20",
    ]
    path = _workbook(tmp_path / "two.xlsx", [first, other, first])
    one, two = list(AvailsXlsxImporter().records(path))
    assert (one.locator, one.key) == ("Sheet!row 2, 4", "FD_2012")
    assert (two.locator, two.key) == ("Sheet!row 3", "FD_2012#2")
    assert two.errors == {}
    [notice] = [f for f in two.findings if f.severity == "notice"]
    assert notice.code == "alid-repeated"
    assert "already used by Sheet!row 2, 4" in notice.message


def test_a_blank_optional_cell_is_no_contradiction(tmp_path: Path) -> None:
    first = [
        "Rockstar Films",
        "US",
        "Movie",
        "Full Extract",
        "The First Dance",
        "FD_2012",
        "md:cid:eidr-s:1489-49A2-3956-4B2D-FE16-5",
        "EST",
        "2013-05-14",
        "Open",
    ]
    path = _workbook(
        tmp_path / "blank.xlsx", [first, [*first[:6], None, "VOD", "2013-05-28", "2013-09-20"]]
    )
    [record] = list(AvailsXlsxImporter().records(path))
    assert record.errors == {} and record.key == "FD_2012"
    assert [lic["media"] for lic in record.data["licenses"]] == [["est"], ["tvod"]]
    assert record.data["identifiers"] == [
        {"scheme": "eidr", "value": "10.5240/1489-49A2-3956-4B2D-FE16-5"}
    ]
