"""What every importer yields: parsed records with their locator, raw text and errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


class UnreadableFile(Exception):
    """A file that cannot be processed at all (unknown format, hostile or broken)."""


ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITIES = (ERROR, WARNING, NOTICE)


@dataclass(frozen=True)
class Finding:
    """A problem found in a record, graded as MovieLabs' validator grades them.

    An error refuses the record (no key, no title, an unreadable licence window); a warning
    keeps it with the problem recorded (an identifier failing its checksum is stored
    unverified); a notice tells of something unusual that changes nothing.
    """

    severity: str
    code: str
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return the finding as JSON-compatible data."""
        return {
            "severity": self.severity,
            "code": self.code,
            "field": self.path,
            "message": self.message,
        }


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
    findings: list[Finding] = field(default_factory=list)

    def reject(self, path: str, message: str) -> ParsedRecord:
        """Add a reason to refuse this record and return it."""
        self.errors.setdefault(path, []).append(message)
        return self

    def warn(self, code: str, path: str, message: str) -> ParsedRecord:
        """Record a problem that leaves the record stored, and return it."""
        self.findings.append(Finding(WARNING, code, path, message))
        return self

    def notice(self, code: str, path: str, message: str) -> ParsedRecord:
        """Record something unusual that changes nothing, and return it."""
        self.findings.append(Finding(NOTICE, code, path, message))
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
