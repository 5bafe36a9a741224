"""Stream the records of a large XML file with memory bounded by one record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from importers.base import UnreadableFile
from importers.xmlsafe import (
    PARSER_OPTIONS,
    XmlLimits,
    check_prolog,
    check_size,
    read_head,
    syntax_error,
)
from schemas.fields import preview


class _CountingReader:
    """A binary reader that counts the bytes handed to the parser."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        """Read up to size bytes and count them."""
        data = self.handle.read(size)
        self.count += len(data)
        return data


def _matcher(tags: str | Iterable[str]) -> Callable[[etree._Element], bool]:
    """Return a test for elements whose local name or Clark name is among tags."""
    wanted = {tags} if isinstance(tags, str) else set(tags)

    def matches(elem: etree._Element) -> bool:
        """Tell whether the element is one of the wanted tags."""
        if not isinstance(elem.tag, str):
            return False
        return elem.tag in wanted or etree.QName(elem).localname in wanted

    return matches


def _release(elem: etree._Element) -> None:
    """Free a handled element and the siblings before it so memory stays flat."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is None:
        return
    while elem.getprevious() is not None:
        del parent[0]


def stream_elements(
    path: Path, tags: str | Iterable[str], limits: XmlLimits
) -> Iterator[etree._Element]:
    """Yield each complete element with one of the tags, then free it.

    The yielded element is valid until the next iteration. Elements outside the wanted ones
    are emptied as soon as they end, so memory holds at most one wanted element and the
    open ancestors. Elements yielded before a syntax error stay yielded; the error is raised
    as UnreadableFile naming its line and column.
    """
    check_size(path, limits)
    check_prolog(read_head(path), path.name)
    matches = _matcher(tags)
    with path.open("rb") as handle:
        reader = _CountingReader(handle)
        events = etree.iterparse(reader, events=("start-ns", "start", "end"), **PARSER_OPTIONS)
        current: etree._Element | None = None
        opened_at = skipped = 0
        try:
            for event, elem in events:
                if event == "start-ns":
                    _check_namespace(path, *elem)
                    continue
                if event == "start":
                    keys = elem.keys()
                    if ":" in elem.tag.rpartition("}")[2] or (keys and _prefixed(keys)):
                        raise _undeclared_prefix(path, elem)
                    if current is None and matches(elem):
                        current, opened_at = elem, reader.count
                        continue
                if current is None:
                    if event == "end":
                        skipped += 1
                        _check_skipped(path, elem, skipped, limits)
                        elem.clear(keep_tail=False)
                    continue
                if reader.count - opened_at > limits.max_element_bytes:
                    raise UnreadableFile(
                        f"{path.name}: element <{etree.QName(current).localname}> opened at "
                        f"line {current.sourceline} exceeds the limit of "
                        f"{limits.max_element_bytes} bytes"
                    )
                if event == "end" and elem is current:
                    current, skipped = None, 0
                    yield elem
                    _release(elem)
        except etree.XMLSyntaxError as exc:
            raise syntax_error(path.name, exc) from None


def _prefixed(names: list[str]) -> bool:
    """Tell whether a name keeps a 'prefix:' because its prefix was never declared."""
    return any(":" in name.rpartition("}")[2] for name in names)


def _undeclared_prefix(path: Path, elem: etree._Element) -> UnreadableFile:
    """Explain an element or attribute whose namespace prefix is not declared.

    libxml2 only warns about these and keeps 'prefix:name' as the name, which no
    namespace-aware code can read.
    """
    bad = next(n for n in [elem.tag, *elem.keys()] if ":" in n.rpartition("}")[2])
    return UnreadableFile(
        f"{path.name}: {bad.rpartition('}')[2]!r} at line {elem.sourceline} uses a "
        f"namespace prefix that is not declared"
    )


def _check_namespace(path: Path, prefix: str, uri: str) -> None:
    """Refuse a namespace declaration lxml would refuse to build an element with."""
    try:
        etree.Element("probe", nsmap={prefix or None: uri})
    except ValueError:
        raise UnreadableFile(
            f"{path.name}: the namespace {preview(uri)} (prefix {prefix or '(default)'!r}) "
            f"is not a valid URI"
        ) from None


def _check_skipped(path: Path, elem: etree._Element, skipped: int, limits: XmlLimits) -> None:
    """Refuse a file with more elements outside the wanted ones than the limit."""
    if skipped > limits.max_skipped_elements:
        raise UnreadableFile(
            f"{path.name}: more than {limits.max_skipped_elements} elements outside the "
            f"records in a row (the last at line {elem.sourceline})"
        )
