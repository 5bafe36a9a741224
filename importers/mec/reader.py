"""Collect refused values while reading one Common Metadata record."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from lxml import etree

from importers.mec.elements import Problem, text_of

T = TypeVar("T")


class RecordReader:
    """Hold one BasicMetadata element and the values refused while reading it."""

    def __init__(self, element: etree._Element) -> None:
        self.element = element
        self.problems: list[Problem] = []

    def refuse(self, element: etree._Element, reason: str, attribute: str | None = None) -> None:
        """Refuse one value of the record, keeping the element that holds it."""
        self.problems.append(Problem(element, reason, attribute))

    def warn(
        self, element: etree._Element, code: str, reason: str, attribute: str | None = None
    ) -> None:
        """Record a problem with a value that is kept, under a finding code."""
        self.problems.append(Problem(element, reason, attribute, code))

    def checked(
        self,
        element: etree._Element,
        check: Callable[[str], T],
        text: str | None = None,
        attribute: str | None = None,
    ) -> T | None:
        """Return check(text of element) or refuse the element with the reason and return None."""
        value = text_of(element) if text is None else text
        try:
            return check(value)
        except ValueError as exc:
            self.refuse(element, str(exc), attribute)
            return None
