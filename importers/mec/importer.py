"""Import MovieLabs Common Metadata title records: MEC CoreMetadata and manifest BasicMetadata."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from importers.base import Importer, ParsedRecord, UnreadableFile
from importers.mec.basic import BasicRecord, read_basic
from importers.mec.elements import (
    MANIFEST_NAMESPACE,
    MD_NAMESPACE,
    MDMEC_NAMESPACE,
    Problem,
    element_path,
    local_name,
    namespace,
    relative_path,
)
from importers.registry import register
from importers.xmlsafe import iter_elements, root_tag

MEC_ROOTS = ("CoreMetadata", "CoreMetadataList")
LOCALIZED_ONLY_ROOTS = ("LocalizedInfoDelivery", "LocalizedInfoDeliveryList")
RECORD_TAGS = ("Basic", "BasicMetadata")


def _is_record(element: etree._Element) -> bool:
    """Tell whether a streamed element is a BasicMetadata record of a known namespace."""
    name, uri = local_name(element), namespace(element)
    if name == "Basic":
        return bool(MDMEC_NAMESPACE.match(uri))
    return bool(MANIFEST_NAMESPACE.match(uri) or MD_NAMESPACE.match(uri))


def _serialise(element: etree._Element) -> str:
    """Return the XML of an element, declaring only the namespaces it uses."""
    standalone = copy.deepcopy(element)
    standalone.tail = None
    etree.cleanup_namespaces(standalone)
    return etree.tostring(standalone, encoding="unicode")


def _locator(path: str, element: etree._Element) -> str:
    """Return an element path with the line the element starts on."""
    return f"{path} (line {element.sourceline})" if element.sourceline else path


@register
class MecXmlImporter(Importer):
    """MovieLabs Common Metadata (MEC CoreMetadata, or BasicMetadata inside a Media Manifest)."""

    name = "mec-xml"
    agency = "ZZ-AVAILS"
    description = (
        "MovieLabs Common Metadata: mdmec:CoreMetadata / CoreMetadataList (MEC) and the inline "
        "BasicMetadata of a Media Manifest; one record per BasicMetadata, keyed by ContentID"
    )

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Recognise a root element in the mdmec, md or manifest namespace."""
        root = root_tag(head)
        if root is None or not root.namespace:
            return False
        if MDMEC_NAMESPACE.match(root.namespace):
            return root.localname in MEC_ROOTS + LOCALIZED_ONLY_ROOTS
        if MANIFEST_NAMESPACE.match(root.namespace):
            return root.localname == "MediaManifest"
        return bool(MD_NAMESPACE.match(root.namespace)) and root.localname == "BasicMetadata"

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield one record per BasicMetadata, with a finding per refused value in it."""
        with path.open("rb") as handle:
            root = root_tag(handle.read(64 * 1024))
        if root is not None and root.localname in LOCALIZED_ONLY_ROOTS:
            raise UnreadableFile(
                f"{path.name}: a {root.localname} carries localized titles and summaries for "
                f"works described elsewhere, not BasicMetadata; it is not imported"
            )
        positions: dict[str, int] = {}
        found = 0
        for element in iter_elements(path, RECORD_TAGS):
            if not _is_record(element):
                continue
            found += 1
            parent = element.getparent()
            parent_path = element_path(parent) if parent is not None else ""
            positions[parent_path] = positions.get(parent_path, 0) + 1
            record_path = f"{parent_path}/{local_name(element)}[{positions[parent_path]}]"
            yield from _records(element, record_path)
        if not found:
            raise UnreadableFile(
                f"{path.name}: no inline BasicMetadata (mdmec:Basic or manifest:BasicMetadata) "
                f"was found; a manifest that only references external metadata files holds "
                f"nothing to import"
            )


def _records(element: etree._Element, record_path: str) -> Iterator[ParsedRecord]:
    """Yield the work record of one BasicMetadata with a warning for each refused value.

    As in MovieLabs' validator, a bad value inside a record (a language, a rating, an
    identifier failing its check) is a warning: the value is left out or kept unverified and
    the record is stored. Only a record that cannot be keyed or read is refused.
    """
    parsed: BasicRecord = read_basic(element)
    record = ParsedRecord(
        locator=_locator(record_path, element),
        raw=_serialise(element),
        key=parsed.key,
        data=parsed.data,
    )
    for field_path, reasons in parsed.errors.items():
        for reason in reasons:
            record.reject(field_path, reason)
    for problem in sorted(parsed.problems, key=lambda p: p.element.sourceline or 0):
        record.warn(problem.code, _problem_path(problem, element), problem.reason)
    yield record


def _problem_path(problem: Problem, record: etree._Element) -> str:
    """Return where a refused value sits in its record, with the line it starts on."""
    relative = relative_path(problem.element, record)
    if problem.attribute:
        relative = f"{relative}/@{problem.attribute}" if relative else f"@{problem.attribute}"
    return _locator(relative or "BasicMetadata", problem.element)
