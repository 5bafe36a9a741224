"""Detect the Avails schema version of a document and validate Avail elements against its XSD."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from importers.xmlsafe import safe_parser

XSD_DIR = Path(__file__).parent / "xsd"
AVAILS_NAMESPACE = re.compile(
    r"^http://www\.movielabs\.com/schema/avails/v(2\.[2-7](?:\.\d+)?)/avails$"
)
MD_NAMESPACE = re.compile(r"^http://www\.movielabs\.com/schema/md/v[\d.]+/md$")

# Versions validated against their own XSD; 2.2, 2.2.1, 2.6 and 2.7 are checked against the
# vocabularies only because the Common Metadata (md) schemas they import are not available.
SCHEMA_FILES = {
    "2.2.2": "avails-v2.2.2.xsd",
    "2.3": "avails-v2.3.xsd",
    "2.4": "avails-v2.4.xsd",
    "2.5": "avails-v2.5.xsd",
}
# schemaLocation named by an XSD -> the file that stands for it here.
IMPORT_ALIASES = {
    "md-v2.7.1.xsd": "md-v2.7.xsd",
    "mdmec-v2.7.1.xsd": "mdmec-v2.7.xsd",
}
_LAX_SCHEMA = (
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{namespace}" '
    'elementFormDefault="qualified">{body}</xs:schema>'
)
_LAX_CONTENT = (
    '<xs:sequence><xs:any namespace="##any" processContents="skip" minOccurs="0" '
    'maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute namespace="##any" '
    'processContents="skip"/>'
)
_LAX_TYPE = '<xs:complexType name="{name}" mixed="true">' + _LAX_CONTENT + "</xs:complexType>"
_LAX_ELEMENT = (
    '<xs:element name="{name}"><xs:complexType>' + _LAX_CONTENT + "</xs:complexType></xs:element>"
)
_MDMEC_FILE = re.compile(r"^mdmec-v([\d.]+)\.xsd$")
XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"
_CLARK = re.compile(r"\{[^}]*\}")


def _lax_mdmec(version: str) -> str:
    """Return a stand-in for a missing mdmec schema whose types accept any content."""
    body = _LAX_TYPE.format(name="Publisher-type") + _LAX_TYPE.format(name="CoreMetadata-type")
    namespace = f"http://www.movielabs.com/schema/mdmec/v{version}"
    return _LAX_SCHEMA.format(namespace=namespace, body=body)


def _lax_xmldsig() -> str:
    """Return a stand-in for the XML Signature schema whose Signature accepts any content."""
    return _LAX_SCHEMA.format(
        namespace=XMLDSIG_NAMESPACE, body=_LAX_ELEMENT.format(name="Signature")
    )


class _LocalSchemaResolver(etree.Resolver):
    """Serve schema imports from the importer's own folder and nowhere else."""

    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        """Return the local copy or stand-in of an imported schema; refuse anything else."""
        name = url.replace("\\", "/").rsplit("/", 1)[-1]
        name = IMPORT_ALIASES.get(name, name)
        if (XSD_DIR / name).is_file():
            return self.resolve_filename(str(XSD_DIR / name), context)
        mdmec = _MDMEC_FILE.match(name)
        if mdmec:
            return self.resolve_string(_lax_mdmec(mdmec.group(1)), context)
        if name == "xmldsig-core-schema.xsd":
            return self.resolve_string(_lax_xmldsig(), context)
        raise LookupError(f"schema {url!r} is not available locally")


def avails_version(namespace: str | None) -> str | None:
    """Return the Avails version named by a namespace URI (e.g. '2.4'), or None."""
    match = AVAILS_NAMESPACE.match(namespace or "")
    return match.group(1) if match else None


@cache
def schema_for(version: str) -> etree.XMLSchema | None:
    """Load the XSD of an Avails version once; None when it is not available here."""
    file_name = SCHEMA_FILES.get(version)
    if file_name is None:
        return None
    parser = safe_parser()
    parser.resolvers.add(_LocalSchemaResolver())
    document = etree.parse(str(XSD_DIR / file_name), parser)
    return etree.XMLSchema(document)


@dataclass(frozen=True)
class SchemaIssue:
    """One XSD violation inside an Avail: where (transaction index or None) and why."""

    transaction: int | None
    path: str
    line: int | None
    message: str


_TRANSACTION_STEP = re.compile(r"^(?:\w+:)?Transaction(?:\[(\d+)\])?$")


def _relative_path(error_path: str) -> tuple[int | None, str]:
    """Return the transaction index and the path below the Avail of an XSD error path."""
    steps = [step for step in error_path.split("/") if step][2:]
    steps = [step.split(":", 1)[-1] for step in steps]
    if steps:
        match = _TRANSACTION_STEP.match(steps[0])
        if match:
            return int(match.group(1) or 1), "/".join(steps[1:]) or "Transaction"
    return None, "/".join(steps)


def validate_avail(avail: etree._Element, version: str) -> list[SchemaIssue]:
    """Validate one detached Avail (wrapped in an AvailList) against its version's XSD."""
    schema = schema_for(version)
    if schema is None:
        return []
    namespace = etree.QName(avail).namespace
    wrapper = etree.Element(f"{{{namespace}}}AvailList", nsmap=avail.nsmap)
    parent, index = avail.getparent(), None
    if parent is not None:
        index = parent.index(avail)
    wrapper.append(avail)
    try:
        if schema.validate(wrapper):
            return []
        issues = []
        for error in schema.error_log:
            transaction, path = _relative_path(error.path or "")
            message = _CLARK.sub("", error.message)
            issues.append(SchemaIssue(transaction, path, error.line, message))
        return issues
    finally:
        if parent is not None and index is not None:
            parent.insert(index, avail)
