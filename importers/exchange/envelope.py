"""The JSON Lines envelope of the exchange format: read one line, write one line."""

from __future__ import annotations

import json
from typing import Any

from importers.base import ParsedRecord
from schemas.fields import MAX_KEY_LENGTH as SOURCE_KEY_LENGTH

FORMAT = "av-registry-exchange/1"
FORMAT_FAMILY = "av-registry-exchange/"
FIELDS = ("format", "key", "action", "authoritative", "origin", "work")
ACTIONS = ("upsert", "delete")
MAX_KEY_LENGTH = SOURCE_KEY_LENGTH
_LINE_BREAK_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "\u0085\u2028\u2029"}


def parse_line(text: str, line: int) -> ParsedRecord:
    """Read one line of an exchange file into a parsed record, or say why it is refused."""
    record = ParsedRecord(f"line {line}", text)
    try:
        envelope = json.loads(text)
    except json.JSONDecodeError as exc:
        return record.reject("_line", f"not valid JSON: {exc.msg} at column {exc.colno}")
    except ValueError as exc:
        return record.reject("_line", f"not usable JSON: {str(exc).split(';')[0]}")
    except RecursionError:
        return record.reject("_line", "JSON nested too deeply")
    if not isinstance(envelope, dict):
        return record.reject("_line", "a line must be one JSON object")
    unknown = [name for name in envelope if name not in FIELDS]
    if unknown:
        record.reject(
            "_line", f"unknown fields: {', '.join(unknown)}; a line has {', '.join(FIELDS)}"
        )
    if not _check_format(record, envelope.get("format")):
        return record
    key = envelope.get("key")
    if not isinstance(key, str) or not key.strip():
        record.reject("key", "missing: every line needs a non-empty string key")
    elif len(key) > MAX_KEY_LENGTH:
        record.reject("key", f"longer than {MAX_KEY_LENGTH} characters")
    else:
        record.key = key
    action = envelope.get("action", "upsert")
    if action not in ACTIONS:
        record.reject("action", f"{action!r} is not one of: {', '.join(ACTIONS)}")
    record.action = action if action in ACTIONS else "upsert"
    authoritative = envelope.get("authoritative", True)
    if not isinstance(authoritative, bool):
        record.reject("authoritative", "must be true or false")
    else:
        record.authoritative = authoritative
    origin = envelope.get("origin")
    if origin is not None and not isinstance(origin, dict):
        record.reject("origin", "must be a JSON object when present")
    work = envelope.get("work")
    if record.action == "upsert":
        if not isinstance(work, dict):
            record.reject("work", "missing: an upsert line needs the work aggregate as an object")
        else:
            record.data = work
    return record


def _check_format(record: ParsedRecord, value: Any) -> bool:
    """Refuse a line whose format is missing or a version this registry cannot read."""
    if value == FORMAT:
        return True
    if not isinstance(value, str) or not value.startswith(FORMAT_FAMILY):
        record.reject("format", f"missing or not an exchange format; expected {FORMAT!r}")
    else:
        record.reject("format", f"unsupported version {value!r}: this registry reads {FORMAT!r}")
    return False


def build_line(
    key: str,
    work: dict[str, Any] | None,
    action: str = "upsert",
    authoritative: bool = True,
    origin: dict[str, Any] | None = None,
) -> str:
    """Write one exchange line (without the newline)."""
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "key": key,
        "action": action,
        "authoritative": authoritative,
    }
    if origin:
        envelope["origin"] = origin
    if action == "upsert":
        envelope["work"] = work
    return _escape_line_breaks(json.dumps(envelope, ensure_ascii=False, separators=(",", ":")))


def _escape_line_breaks(text: str) -> str:
    """Escape the characters JSON leaves raw but readers may take as line ends.

    U+2028 and U+2029 end a line for JavaScript and for str.splitlines, as U+0085 does for the
    latter; in JSON they can only occur inside strings, where the escape means the same text.
    """
    return text.translate(_LINE_BREAK_ESCAPES)
