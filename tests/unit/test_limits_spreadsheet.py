"""Spreadsheets: every zip part is checked, the string table is bounded, openpyxl is defused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import load_workbook

from importers.avails.xlsx_importer import AvailsXlsxImporter
from importers.base import UnreadableFile
from importers.xmlsafe import XmlLimits, check_xml_package

ENTITY_DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x "expanded">]>'


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _workbook(path: Path, strings: list[str], strings_part: str = "xl/sharedStrings.xml") -> Path:
    """Write a minimal real workbook whose column A refers to a shared-strings table."""
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>{n - 1}</v></c></row>'
        for n in range(1, len(strings) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{TYPES}.worksheet+xml"/>'
            f'<Override PartName="/{strings_part}" ContentType="{TYPES}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Avails" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
            f'Target="/{strings_part}"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
        ),
        strings_part: f'<sst xmlns="{MAIN}">{table}</sst>',
    }
    with zipfile.ZipFile(path, "w") as package:
        for name, text in parts.items():
            package.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return path


def _rewrite(
    path: Path,
    replace: dict[str, bytes],
    add: dict[str, bytes] | None = None,
    folder: Path | None = None,
) -> Path:
    """Copy a package with some parts replaced and others added, into folder (default: beside)."""
    target = (folder or path.parent) / ("changed-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return target


def _with_entity(xml: bytes) -> bytes:
    """Put an entity-declaring DOCTYPE in front of a part's root element."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return ENTITY_DOCTYPE + body


@pytest.mark.parametrize("part", ["xl/media/image1.png", "customXml/item1", "xl/strings.bin"])
def test_a_part_declaring_entities_is_refused_whatever_its_name(tmp_path: Path, part: str) -> None:
    book = _workbook(tmp_path / "book.xlsx", ["a"])
    path = _rewrite(book, {}, {part: ENTITY_DOCTYPE + b"<sst/>"})
    with pytest.raises(UnreadableFile, match=f"{part}: the DOCTYPE declares entities"):
        check_xml_package(path)


def test_an_entity_declaration_in_a_part_that_is_not_xml_is_refused(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "book.xlsx", ["a"])
    hidden = b"\x89PNG\r\n" + b"<!ENTITY x SYSTEM 'file:///etc/passwd'>"
    path = _rewrite(book, {}, {"xl/media/image1.png": hidden})
    with pytest.raises(UnreadableFile, match="image1.png: the part declares XML entities"):
        check_xml_package(path)


def test_openpyxl_parses_with_defusedxml() -> None:
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    from defusedxml import ElementTree as defused

    assert functions.iterparse is defused.iterparse


def test_openpyxl_itself_refuses_entities_it_is_given(tmp_path: Path) -> None:
    from defusedxml import EntitiesForbidden

    book = _workbook(tmp_path / "book.xlsx", ["a", "b"])
    with zipfile.ZipFile(book) as package:
        strings = package.read("xl/sharedStrings.xml")
    path = _rewrite(book, {"xl/sharedStrings.xml": _with_entity(strings)})
    with pytest.raises(ValueError, match="could not read strings") as info:
        load_workbook(path, read_only=True)
    assert isinstance(info.value.__context__, EntitiesForbidden)


def test_shared_strings_over_the_count_limit_are_refused_before_loading(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx", [f"text {n}" for n in range(50)])
    check_xml_package(path, XmlLimits(max_shared_strings=50))
    with pytest.raises(UnreadableFile, match="more than 49 shared strings"):
        check_xml_package(path, XmlLimits(max_shared_strings=49))
    with pytest.raises(UnreadableFile, match="more than 49 shared strings"):
        list(AvailsXlsxImporter(XmlLimits(max_shared_strings=49)).records(path))


def test_shared_strings_over_the_size_limit_are_refused_before_loading(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx", ["x" * 5000])
    with pytest.raises(UnreadableFile, match=r"sharedStrings.xml: the shared strings take \d+"):
        check_xml_package(path, XmlLimits(max_shared_strings_bytes=4000))


def test_the_string_table_is_found_through_the_manifest_not_its_name(tmp_path: Path) -> None:
    strings = [f"text {n}" for n in range(20)]
    path = _workbook(tmp_path / "book.xlsx", strings, strings_part="xl/t.dat")
    assert load_workbook(path, read_only=True).active["A3"].value == "text 2"
    with pytest.raises(UnreadableFile, match="t.dat: more than 10 shared strings"):
        check_xml_package(path, XmlLimits(max_shared_strings=10))


def test_a_sheet_declaring_every_column_is_read_at_most_the_column_limit_wide(
    tmp_path: Path,
) -> None:
    import re

    from importers.avails.xlsx_importer import _read_rows
    from importers.xmlsafe import MAX_SHEET_COLUMNS

    real = Path(__file__).resolve().parents[1] / "data" / "avails" / "Movies_v1.9_cut.xlsx"
    with zipfile.ZipFile(real) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode("utf-8")
    far = '<row r="60"><c r="XFD60" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    sheet = re.sub(r"<dimension [^>]*>", '<dimension ref="A1:XFD60"/>', sheet)
    path = _rewrite(
        real,
        {"xl/worksheets/sheet1.xml": sheet.replace("</sheetData>", far).encode("utf-8")},
        folder=tmp_path,
    )
    workbook = load_workbook(path, read_only=True, data_only=True)
    widths = {len(row) for row in _read_rows(workbook.active)}
    workbook.close()
    assert max(widths) == MAX_SHEET_COLUMNS
    wide = [(r.locator, r.key, r.errors) for r in AvailsXlsxImporter().records(path)]
    plain = [(r.locator, r.key, r.errors) for r in AvailsXlsxImporter().records(real)]
    assert wide == plain
