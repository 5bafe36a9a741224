"""What every importer yields: parsed records with their locator, raw text and errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


class UnreadableFile(Exception):
    """A file that cannot be processed at all (unknown format, hostile or broken)."""


@dataclass
class ParsedRecord:
    """One record read from a source file, before validation against the shared schema."""

    locator: str
    raw: str
    key: str | None = None
    data: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    action: str = "upsert"
    authoritative: bool = True

    def reject(self, path: str, message: str) -> ParsedRecord:
        """Add a reason to refuse this record and return it."""
        self.errors.setdefault(path, []).append(message)
        return self


class Importer:
    """Base of every importer: sniff a file's content, then stream its records."""

    name: ClassVar[str] = ""
    agency: ClassVar[str] = ""
    description: ClassVar[str] = ""

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Tell whether a file whose first bytes are head is in this format."""
        return False

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield every record of the file in order."""
        raise NotImplementedError
