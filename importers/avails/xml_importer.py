"""Import MovieLabs Avails XML (schema 2.2 to 2.7), streaming one Avail at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from importers.avails.records import AvailRecordBuilder
from importers.avails.validation import avails_version, validate_avail
from importers.avails.xml_reader import local, serialize
from importers.avails.xml_transactions import read_avail
from importers.base import Importer, ParsedRecord, UnreadableFile
from importers.registry import register
from importers.xmlsafe import XmlLimits, iter_elements, root_tag

DEFAULT_AGENCY = "ZZ-AVAILS"


def _xsd_issues(avail: etree._Element, version: str) -> tuple[dict, dict[int, dict]]:
    """Return XSD violations split into Avail-level and per-Transaction errors."""
    avail_errors: dict[str, list[str]] = {}
    by_transaction: dict[int, dict[str, list[str]]] = {}
    for issue in validate_avail(avail, version):
        target = avail_errors
        if issue.transaction is not None:
            target = by_transaction.setdefault(issue.transaction, {})
        label = issue.path or "Avail"
        where = f" (line {issue.line})" if issue.line else ""
        target.setdefault(label, []).append(f"XSD {version}: {issue.message}{where}")
    return avail_errors, by_transaction


@register
class AvailsXmlImporter(Importer):
    """MovieLabs Avails XML: one work aggregate per Avail, one licence per Transaction."""

    name = "avails-xml"
    agency = DEFAULT_AGENCY
    description = "MovieLabs Avails XML (schema versions 2.2 to 2.7)"

    def __init__(self, limits: XmlLimits | None = None) -> None:
        self.limits = limits or XmlLimits()

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Recognise an AvailList root element in an Avails namespace."""
        tag = root_tag(head)
        return bool(tag and tag.localname == "AvailList" and avails_version(tag.namespace))

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield a record per Avail, refused parts after it, and derived parents at the end."""
        builder = AvailRecordBuilder()
        version: str | None = None
        root_name = "AvailList"
        for index, avail in enumerate(iter_elements(path, "Avail", self.limits), start=1):
            if version is None:
                root = avail.getparent()
                namespace = etree.QName(avail).namespace
                version = avails_version(namespace)
                root_name = local(root) if root is not None else root_name
                if version is None:
                    raise UnreadableFile(
                        f"{path.name}: {namespace!r} is not a MovieLabs Avails namespace "
                        f"(http://www.movielabs.com/schema/avails/v2.X/avails)"
                    )
            path_text = f"/{root_name}/Avail[{index}]"
            locator = f"{path_text} (line {avail.sourceline})"
            raw = serialize(avail)
            issues, by_transaction = _xsd_issues(avail, version)
            data = read_avail(avail, path_text)
            yield from builder.records(data, locator, raw, issues, by_transaction)
        yield from builder.parent_records()
