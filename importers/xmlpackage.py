"""Check zip packages (xlsx) before a library parses them: every part, and the string table."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from importers.base import UnreadableFile
from importers.xmlsafe import (
    PARSER_OPTIONS,
    PROLOG_LIMIT,
    XmlLimits,
    check_prolog,
    check_size,
    decode_head,
    parse_bytes,
    syntax_error,
)

SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_ENTITY_MARKERS = tuple(
    "<!ENTITY".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def check_package(path: Path, limits: XmlLimits) -> None:
    """Refuse a zip package (xlsx, docx...) that is too large unpacked, any of whose parts
    declares entities, or whose shared-strings table is over its limits, before any library
    parses it.

    Every part is checked whatever its name, since libraries find parts through the package's
    manifest and relationships, not through their extensions.
    """
    check_size(path, limits)
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > limits.max_unpacked_bytes:
                raise UnreadableFile(
                    f"{path.name}: the package unpacks to {unpacked} bytes, more than the "
                    f"limit of {limits.max_unpacked_bytes} bytes"
                )
            for member in members:
                with package.open(member) as handle:
                    _check_part(handle.read(PROLOG_LIMIT), f"{path.name}:{member.filename}")
            _check_shared_strings(package, path.name, limits)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        OSError,
        RuntimeError,
        ValueError,
    ) as exc:
        raise UnreadableFile(f"{path.name}: not a readable zip package ({exc})") from None
    except zlib.error as exc:
        raise UnreadableFile(f"{path.name}: a part of the package is corrupt ({exc})") from None


def _check_part(head: bytes, name: str) -> None:
    """Refuse a package part that declares entities; check the prolog of any XML part."""
    text = decode_head(head).lstrip(" \t\r\n\ufeff")
    if text.startswith("<"):
        check_prolog(head, name)
    if any(marker in head for marker in _ENTITY_MARKERS):
        raise UnreadableFile(
            f"{name}: the part declares XML entities (<!ENTITY ...>); they are refused so "
            f"that nothing is expanded or read from disk or network"
        )


def _check_shared_strings(package: zipfile.ZipFile, name: str, limits: XmlLimits) -> None:
    """Refuse a workbook whose shared-strings table is larger or longer than the limits.

    openpyxl keeps the whole table in memory, so it is measured here, streaming, first.
    """
    for part in _parts_of_type(package, name, SHARED_STRINGS_TYPE):
        try:
            info = package.getinfo(part)
        except KeyError:
            continue
        label = f"{name}:{part}"
        if info.file_size > limits.max_shared_strings_bytes:
            raise UnreadableFile(
                f"{label}: the shared strings take {info.file_size} bytes, more than the limit "
                f"of {limits.max_shared_strings_bytes} bytes"
            )
        count = 0
        with package.open(info) as handle:
            try:
                for _event, elem in etree.iterparse(handle, events=("end",), **PARSER_OPTIONS):
                    if etree.QName(elem).localname == "si":
                        count += 1
                        if count > limits.max_shared_strings:
                            raise UnreadableFile(
                                f"{label}: more than {limits.max_shared_strings} shared strings"
                            )
                    elem.clear(keep_tail=False)
            except etree.XMLSyntaxError as exc:
                raise syntax_error(label, exc) from None


def _parts_of_type(package: zipfile.ZipFile, name: str, content_type: str) -> list[str]:
    """Return the part names the package manifest gives a content type (as openpyxl reads it)."""
    try:
        manifest = package.read("[Content_Types].xml")
    except KeyError:
        return []
    root = parse_bytes(manifest, f"{name}:[Content_Types].xml")
    return [
        override.get("PartName", "").lstrip("/")
        for override in root.iter("{*}Override")
        if override.get("ContentType") == content_type
    ]
