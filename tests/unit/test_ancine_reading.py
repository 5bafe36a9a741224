"""Unit tests of ANCINE file reading: sniffing, encodings, malformed rows."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from importers.ancine.works import AncineCpbImporter, AncineRoeImporter
from importers.base import UnreadableFile
from importers.registry import detect_format, get_importer

DATA = Path(__file__).resolve().parents[1] / "data" / "ancine"
FORMATS = {
    "cpb-2023.csv": "ancine-cpb",
    "roe-2023.csv": "ancine-roe",
    "crt-2023.csv": "ancine-crt",
    "countries.csv": "ancine-countries",
    "directors.csv": "ancine-directors",
    "releases.csv": "ancine-releases",
}


def converted(source: Path, target: Path, encoding: str, bom: bool = False) -> Path:
    """Write a copy of a UTF-8 file in another encoding, optionally with a UTF-8 BOM."""
    data = source.read_text(encoding="utf-8").encode(encoding)
    target.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return target


def snapshot(format_name: str, path: Path) -> list[tuple]:
    """Return every record of a file as comparable tuples."""
    importer = get_importer(format_name)()
    return [(r.locator, r.raw, r.key, r.data, r.errors) for r in importer.records(path)]


@pytest.mark.parametrize(("file_name", "format_name"), sorted(FORMATS.items()))
def test_each_file_is_recognised_by_its_header(file_name: str, format_name: str) -> None:
    """Detect the format from the header row, never from the file name."""
    assert detect_format(DATA / file_name) == format_name


@pytest.mark.parametrize(("file_name", "format_name"), sorted(FORMATS.items()))
def test_recognised_with_bom_and_in_windows_latin_1(
    tmp_path: Path, file_name: str, format_name: str
) -> None:
    """Detect the format of a BOM-prefixed UTF-8 copy and a Windows-1252 copy."""
    with_bom = converted(DATA / file_name, tmp_path / "with-bom.txt", "utf-8", bom=True)
    latin = converted(DATA / file_name, tmp_path / "latin.txt", "cp1252")
    assert detect_format(with_bom) == format_name
    assert detect_format(latin) == format_name


def test_windows_1252_copy_gives_identical_records(tmp_path: Path) -> None:
    """Read the CPB cut converted to Windows-1252 (it has en dashes) exactly like the original."""
    latin = converted(DATA / "cpb-2023.csv", tmp_path / "cpb-cp1252.csv", "cp1252")
    assert latin.read_bytes() != (DATA / "cpb-2023.csv").read_bytes()
    assert snapshot("ancine-cpb", latin) == snapshot("ancine-cpb", DATA / "cpb-2023.csv")


def test_iso_latin_1_copy_gives_identical_records(tmp_path: Path) -> None:
    """Read the releases cut converted to ISO-8859-1 exactly like the original."""
    latin = converted(DATA / "releases.csv", tmp_path / "releases-latin1.csv", "latin-1")
    assert "Ç".encode("latin-1") in latin.read_bytes()
    assert snapshot("ancine-releases", latin) == snapshot("ancine-releases", DATA / "releases.csv")


def test_bom_copy_gives_identical_records(tmp_path: Path) -> None:
    """Ignore a UTF-8 byte order mark."""
    with_bom = converted(DATA / "roe-2023.csv", tmp_path / "roe-bom.csv", "utf-8", bom=True)
    assert snapshot("ancine-roe", with_bom) == snapshot("ancine-roe", DATA / "roe-2023.csv")


def test_broken_rows_are_refused_with_line_and_reason() -> None:
    """Refuse a short row, a malformed CPB and 31/02/2023; keep the good rows."""
    records = list(AncineCpbImporter().records(DATA / "broken-cpb.csv"))
    assert [r.locator for r in records] == [f"line {n}" for n in range(2, 7)]
    good = [r.key for r in records if not r.errors]
    assert good == ["B2300198200000", "B2300453700000"]
    errors = {r.locator: r.errors for r in records if r.errors}
    assert errors["line 3"] == {"_row": ["expected 18 columns separated by ';', found 17"]}
    assert list(errors["line 4"]) == ["CPB"]
    assert "'B23005523000' is not valid" in errors["line 4"]["CPB"][0]
    assert list(errors["line 5"]) == ["DATA_EMISSAO_CPB"]
    assert "'31/02/2023' is not a calendar date" in errors["line 5"]["DATA_EMISSAO_CPB"][0]


def test_a_file_of_another_ancine_format_is_unreadable_as_this_one() -> None:
    """Refuse the whole file when its header is not the expected one."""
    with pytest.raises(UnreadableFile, match="header does not match"):
        list(AncineRoeImporter().records(DATA / "cpb-2023.csv"))
