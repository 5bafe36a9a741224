"""Namespace-agnostic access to Common Metadata elements and their paths."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

MD_NAMESPACE = re.compile(r"^http://www\.movielabs\.com/schema/md/v2\.\d+(?:\.\d+)?/md$")
MDMEC_NAMESPACE = re.compile(r"^http://www\.movielabs\.com/schema/mdmec/v2\.\d+(?:\.\d+)?$")
MANIFEST_NAMESPACE = re.compile(
    r"^http://www\.movielabs\.com/schema/manifest/v1\.\d+(?:\.\d+)?/manifest$"
)


def local_name(element: etree._Element) -> str:
    """Return an element's name without its namespace."""
    return etree.QName(element).localname


def namespace(element: etree._Element) -> str:
    """Return an element's namespace URI, or an empty string."""
    return etree.QName(element).namespace or ""


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Return the child elements with a local name, whatever their namespace."""
    return [c for c in element if isinstance(c.tag, str) and local_name(c) == name]


def child(element: etree._Element, name: str) -> etree._Element | None:
    """Return the first child element with a local name, or None."""
    found = children(element, name)
    return found[0] if found else None


def text_of(element: etree._Element | None) -> str:
    """Return an element's own text, stripped; empty when absent."""
    if element is None:
        return ""
    return (element.text or "").strip()


def child_text(element: etree._Element, name: str) -> str:
    """Return the stripped text of the first child with a local name."""
    return text_of(child(element, name))


def _position(element: etree._Element, always: bool = True) -> str:
    """Return '[n]' for an element among same-named siblings; '' when alone unless always."""
    parent = element.getparent()
    if parent is None:
        return ""
    same = [s for s in parent if s.tag == element.tag]
    if len(same) < 2 and not always:
        return ""
    return f"[{same.index(element) + 1}]"


def element_path(element: etree._Element) -> str:
    """Return an element's path with every step below the root indexed among its siblings.

    While streaming, only preceding siblings are known, so an index counts those.
    """
    steps = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        steps.append(local_name(node) if parent is None else local_name(node) + _position(node))
        node = parent
    return "/" + "/".join(reversed(steps))


def relative_path(element: etree._Element, record: etree._Element) -> str:
    """Return the path from a record element down to one of its descendants."""
    steps = []
    node = element
    while node is not None and node is not record:
        steps.append(f"{local_name(node)}{_position(node, always=False)}")
        node = node.getparent()
    return "/".join(reversed(steps))


@dataclass(frozen=True)
class Problem:
    """A value inside a record that is refused while the rest of the record imports."""

    element: etree._Element
    reason: str
    attribute: str | None = None
    code: str = "value-refused"
