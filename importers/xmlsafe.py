"""Parse XML without expanding entities, loading DTDs or touching the network, and stream it."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from importers.base import UnreadableFile

GIB = 1 << 30
MIB = 1 << 20
DEFAULT_MAX_FILE_BYTES = 2 * GIB
DEFAULT_MAX_ELEMENT_BYTES = 64 * MIB
DEFAULT_MAX_UNPACKED_BYTES = 4 * GIB
DEFAULT_MAX_SKIPPED_ELEMENTS = 1_000_000
DEFAULT_MAX_SHARED_STRINGS = 1_000_000
DEFAULT_MAX_SHARED_STRINGS_BYTES = 64 * MIB
MAX_SHEET_COLUMNS = 1024  # spreadsheet columns read; Avails templates use fewer than 100
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_ENTITY_MARKERS = tuple(
    "<!ENTITY".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
PROLOG_LIMIT = 1 * MIB
MAX_MESSAGE_LENGTH = 300
PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}

_XML_DECLARATION_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_NAME_START = re.compile(r"[A-Za-z_:\u00c0-\uffff]")
_TRAILING_POSITION = re.compile(r",\s*line \d+,\s*column \d+\s*(\([^)]*\))?$")


@dataclass(frozen=True)
class XmlLimits:
    """Size limits for one file, any single streamed element and an unpacked zip package.

    max_skipped_elements counts the elements outside the streamed ones since the last one
    streamed: their content is freed as each ends, but an empty placeholder stays (until the
    next streamed element frees its earlier siblings) so that positions in locators count.
    """

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_element_bytes: int = DEFAULT_MAX_ELEMENT_BYTES
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    max_skipped_elements: int = DEFAULT_MAX_SKIPPED_ELEMENTS
    max_shared_strings: int = DEFAULT_MAX_SHARED_STRINGS
    max_shared_strings_bytes: int = DEFAULT_MAX_SHARED_STRINGS_BYTES


def safe_parser(**overrides: object) -> etree.XMLParser:
    """Return an XMLParser with entity expansion, DTD loading and network access off."""
    options = {**PARSER_OPTIONS, **overrides}
    return etree.XMLParser(**options)


def decode_head(head: bytes) -> str:
    """Decode the first bytes of a document using its BOM or XML declaration."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    if head.startswith(b"<\x00?\x00"):
        return head.decode("utf-16-le", errors="replace")
    if head.startswith(b"\x00<\x00?"):
        return head.decode("utf-16-be", errors="replace")
    declared = _XML_DECLARATION_ENCODING.match(head.lstrip())
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return head.decode(encoding, errors="replace")
    except LookupError:
        return head.decode("latin-1")


def _skip_markup(text: str, start: int, opener: str, closer: str) -> int:
    """Return the index just past the closer of markup opened at start, or -1."""
    end = text.find(closer, start + len(opener))
    return -1 if end < 0 else end + len(closer)


def _doctype_end(text: str, start: int) -> int:
    """Return the index just past a DOCTYPE declaration, honouring quotes and its subset."""
    depth, index, quote = 0, start + len("<!DOCTYPE"), ""
    while index < len(text):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif depth and text.startswith("<!--", index):
            index = _skip_markup(text, index, "<!--", "-->")
            if index < 0:
                return -1
            continue
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ">" and depth <= 0:
            return index + 1
        index += 1
    return -1


def _check_doctype(doctype: str, name: str) -> None:
    """Refuse a DOCTYPE that declares entities; nothing it names is ever loaded."""
    if "<!ENTITY" in doctype:
        raise UnreadableFile(
            f"{name}: the DOCTYPE declares entities (<!ENTITY ...>); XML entity declarations "
            f"are refused so that nothing is expanded or read from disk or network"
        )
    if "%" in doctype.partition("[")[2]:
        raise UnreadableFile(f"{name}: the DOCTYPE refers to parameter entities; they are refused")


def _scan_prolog(head: bytes, name: str, refuse_entities: bool = True) -> tuple[str, int]:
    """Return the decoded head and the index where the root element starts.

    Raise UnreadableFile when the head does not start like XML or, if refuse_entities,
    when a DOCTYPE declares entities.
    """
    text = decode_head(head)
    index = 0
    while True:
        while index < len(text) and text[index] in " \t\r\n\ufeff":
            index += 1
        if index >= len(text):
            if len(head) >= PROLOG_LIMIT:
                raise UnreadableFile(
                    f"{name}: no root element within the first {PROLOG_LIMIT // MIB} MiB"
                )
            raise UnreadableFile(f"{name}: the file is empty or has no root element")
        if text.startswith("<?", index):
            index = _skip_markup(text, index, "<?", "?>")
        elif text.startswith("<!--", index):
            index = _skip_markup(text, index, "<!--", "-->")
        elif text.startswith("<!DOCTYPE", index):
            end = _doctype_end(text, index)
            if refuse_entities:
                _check_doctype(text[index : end if end > 0 else len(text)], name)
            if end < 0:
                raise UnreadableFile(
                    f"{name}: the DOCTYPE does not end within the first {PROLOG_LIMIT // MIB} MiB"
                )
            index = end
        elif text.startswith("<", index) and _NAME_START.match(text[index + 1 : index + 2]):
            return text, index
        else:
            raise UnreadableFile(
                f"{name}: not an XML document (no root element where one is expected, "
                f"near character {index + 1})"
            )
        if index < 0:
            raise UnreadableFile(f"{name}: unterminated markup before the root element")


def check_prolog(head: bytes, name: str) -> None:
    """Refuse a document whose DOCTYPE declares entities, before any parser sees it, and a
    document that does not start like XML at all."""
    _scan_prolog(head, name)


def read_head(path: Path) -> bytes:
    """Return the first bytes of a file, enough to hold its prolog."""
    with path.open("rb") as handle:
        return handle.read(PROLOG_LIMIT)


def check_size(path: Path, limits: XmlLimits) -> None:
    """Refuse a file larger than the configured limit."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise UnreadableFile(
            f"{path.name}: the file has {size} bytes, more than the limit of "
            f"{limits.max_file_bytes} bytes"
        )


def syntax_error(name: str, exc: etree.XMLSyntaxError) -> UnreadableFile:
    """Turn a parser error into an UnreadableFile naming the line and column."""
    line, column = exc.position if exc.position else (exc.lineno, exc.offset)
    message = _TRAILING_POSITION.sub("", (exc.msg or str(exc)).strip())
    message = " ".join(message.split())[:MAX_MESSAGE_LENGTH]
    return UnreadableFile(
        f"{name}: malformed or truncated XML at line {line}, column {column}: {message}"
    )


def parse_bytes(data: bytes, name: str = "<document>") -> etree._Element:
    """Parse a small document held in memory and return its root element."""
    check_prolog(data[:PROLOG_LIMIT], name)
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise syntax_error(name, exc) from None


def parse_file(path: Path, limits: XmlLimits | None = None) -> etree._ElementTree:
    """Parse a whole document from disk after the prolog and size checks."""
    limits = limits or XmlLimits()
    check_size(path, limits)
    check_prolog(read_head(path), path.name)
    try:
        return etree.parse(str(path), safe_parser())
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path.name, exc) from None


def iter_elements(
    path: Path, tags: str | Iterable[str], limits: XmlLimits | None = None
) -> Iterator[etree._Element]:
    """Yield each complete element with one of the tags, then free it (see xmlstream)."""
    from importers.xmlstream import stream_elements

    return stream_elements(path, tags, limits or XmlLimits())


def root_tag(head: bytes) -> etree.QName | None:
    """Return the qualified name of the root element found in the first bytes of a file.

    The prolog (and any DOCTYPE) is skipped by a scanner and only the root start tag is
    parsed, so nothing is expanded or fetched; the importer refuses a hostile DOCTYPE when it
    reads the file.
    """
    try:
        text, index = _scan_prolog(head, "head", refuse_entities=False)
    except UnreadableFile:
        return None
    parser = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
    try:
        parser.feed(text[index:].encode("utf-8"))
        for _event, elem in parser.read_events():
            return etree.QName(elem)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return None


def check_xml_package(path: Path, limits: XmlLimits | None = None) -> None:
    """Refuse a zip package (xlsx, docx...) that is too large unpacked, any of whose parts
    declares entities, or whose shared-strings table is over its limits (see xmlpackage)."""
    from importers.xmlpackage import check_package

    check_package(path, limits or XmlLimits())
