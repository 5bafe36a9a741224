"""Safe XML parsing: entity refusal, locked-down parser, streaming, damage and size limits."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from importers.base import UnreadableFile
from importers.xmlsafe import (
    XmlLimits,
    check_prolog,
    check_xml_package,
    iter_elements,
    parse_bytes,
    parse_file,
    root_tag,
    safe_parser,
)

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "avails" / "hostile"
AVAILS_DATA = HOSTILE.parent
SECRET = b"root:x:0:0"


@pytest.mark.parametrize(
    "name", ["external-entity.xml", "billion-laughs.xml", "parameter-entity.xml"]
)
def test_entity_declarations_are_refused_before_parsing(name: str) -> None:
    with pytest.raises(UnreadableFile, match="the DOCTYPE declares entities") as caught:
        list(iter_elements(HOSTILE / name, "Avail"))
    assert str(caught.value).startswith(f"{name}: ")
    assert "passwd" not in str(caught.value)
    assert "lol" not in str(caught.value)


def test_entity_declared_in_utf16_document_is_refused() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r [<!ENTITY e "x">]>\n<r>&e;</r>'
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    with pytest.raises(UnreadableFile, match="declares entities"):
        parse_bytes(data, "utf16.xml")


def test_parameter_entity_reference_without_declaration_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="parameter entities"):
        check_prolog(b"<!DOCTYPE r [ %ext; ]><r/>", "pe.xml")


def test_doctype_without_declarations_is_accepted() -> None:
    root = parse_bytes(b'<?xml version="1.0"?><!-- c --><!DOCTYPE r SYSTEM "r.dtd"><r>ok</r>')
    assert root.text == "ok"


def test_parser_alone_expands_nothing_from_disk() -> None:
    data = (HOSTILE / "external-entity.xml").read_bytes()
    root = etree.fromstring(data, safe_parser())
    assert SECRET not in etree.tostring(root)
    assert root.getroottree().docinfo.internalDTD is not None


def test_parser_alone_stops_billion_laughs() -> None:
    data = (HOSTILE / "billion-laughs.xml").read_bytes()
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        return
    assert len(etree.tostring(root)) < 100_000


def test_non_xml_file_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="not an XML document"):
        list(iter_elements(HOSTILE / "not-xml.xml", "Avail"))


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"  \n")
    with pytest.raises(UnreadableFile, match="empty"):
        parse_file(empty)


def test_truncated_file_yields_complete_elements_then_names_line_and_column() -> None:
    seen = []
    with pytest.raises(UnreadableFile) as caught:
        for elem in iter_elements(HOSTILE / "truncated-v2.4.xml", "Avail"):
            seen.append(elem.findtext("{*}ALID"))
    # The first two Avails of Avails_noErrors_v2.4.xml are complete before the cut (line 211).
    assert seen == ["md:pseudoalid:wprid.fox.com:001143", "030434"]
    message = str(caught.value)
    assert "truncated-v2.4.xml: malformed or truncated XML at line 211, column 17" in message


def test_streaming_frees_handled_elements(tmp_path: Path) -> None:
    path = tmp_path / "many.xml"
    items = "".join(f"<item n='{n}'><v>{'x' * 50}</v></item>\n" for n in range(3000))
    path.write_text(f"<list>{items}</list>", encoding="utf-8")
    kept_before = []
    for elem in iter_elements(path, "item"):
        earlier = list(elem.itersiblings(preceding=True))
        kept_before.append((len(earlier), sum(len(e) for e in earlier)))
    assert len(kept_before) == 3000
    # At most the element handled just before is still attached, and it is already emptied.
    assert max(count for count, _ in kept_before) <= 1
    assert max(children for _, children in kept_before) == 0


def test_file_over_the_size_limit_is_refused() -> None:
    path = AVAILS_DATA / "Avails_withErrors.xml"
    with pytest.raises(UnreadableFile, match="more than the limit of 1000 bytes"):
        list(iter_elements(path, "Avail", XmlLimits(max_file_bytes=1000)))


def test_element_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    small = "<item><v>a</v></item>"
    big = "<item>" + "<v>0123456789</v>" * 20_000 + "</item>"
    path.write_text(f"<list>{small}{big}</list>", encoding="utf-8")
    seen = 0
    with pytest.raises(UnreadableFile, match=r"element <item> opened at line 1 exceeds"):
        for _ in iter_elements(path, "item", XmlLimits(max_element_bytes=100_000)):
            seen += 1
    assert seen == 1


def test_root_tag_reads_the_namespace_without_expanding() -> None:
    tag = root_tag((HOSTILE / "external-entity.xml").read_bytes())
    assert tag is not None
    assert tag.localname == "AvailList"
    assert tag.namespace == "http://www.movielabs.com/schema/avails/v2.4/avails"
    assert root_tag(b"%PDF-1.4 not xml") is None


def _package(path: Path, parts: dict[str, bytes]) -> Path:
    """Write a zip package with the given parts."""
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def test_package_part_declaring_entities_is_refused(tmp_path: Path) -> None:
    hostile = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst/>'
    path = _package(tmp_path / "book.xlsx", {"xl/sharedStrings.xml": hostile})
    with pytest.raises(UnreadableFile, match=r"book.xlsx:xl/sharedStrings.xml: the DOCTYPE"):
        check_xml_package(path)


def test_package_unpacking_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = _package(tmp_path / "bomb.xlsx", {"xl/a.xml": b"<a>" + b" " * 50_000 + b"</a>"})
    with pytest.raises(UnreadableFile, match="unpacks to"):
        check_xml_package(path, XmlLimits(max_unpacked_bytes=10_000))


def test_non_zip_package_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 but not really a zip")
    with pytest.raises(UnreadableFile, match="not a readable zip package"):
        check_xml_package(path)
