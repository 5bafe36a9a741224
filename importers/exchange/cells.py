"""Read and write the cells of the exchange CSV: lists, scheme:value pairs, parties, scalars."""

from __future__ import annotations

import json
import re
from typing import Any

from schemas.parsing import parse_bool, parse_date, parse_decimal, parse_duration_minutes, parse_int

ESCAPE = "\\"
SPECIAL = frozenset("\\|[];:")
ESCAPED_BY_DEFAULT = "\\|[];"
LIST_SEPARATOR = "|"
ATTRIBUTE_SEPARATOR = ";"
PROPRIETARY = "proprietary:"
UNVERIFIED_MARK = "~"  # before an identifier a source gave although it fails its check
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
FORMULA_GUARD = "'"
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_GUARDED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")

Token = tuple[str, bool]


def tokens(text: str) -> list[Token]:
    """Return the characters of text, each flagged when a backslash escaped it."""
    out: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == ESCAPE and index + 1 < len(text) and text[index + 1] in SPECIAL:
            out.append((text[index + 1], True))
            index += 2
            continue
        out.append((char, False))
        index += 1
    return out


def _text(parts: list[Token]) -> str:
    """Join tokens back into plain text without escapes."""
    return "".join(char for char, _ in parts)


def _strip(parts: list[Token]) -> list[Token]:
    """Drop unescaped whitespace at both ends of a token list."""
    start, end = 0, len(parts)
    while start < end and parts[start][0].isspace() and not parts[start][1]:
        start += 1
    while end > start and parts[end - 1][0].isspace() and not parts[end - 1][1]:
        end -= 1
    return parts[start:end]


def _split(parts: list[Token], separator: str) -> list[list[Token]]:
    """Split tokens at unescaped separators."""
    pieces: list[list[Token]] = [[]]
    for char, escaped in parts:
        if char == separator and not escaped:
            pieces.append([])
        else:
            pieces[-1].append((char, escaped))
    return pieces


def escape(text: str, chars: str = ESCAPED_BY_DEFAULT) -> str:
    """Protect the characters that separate items and party attributes with a backslash."""
    return "".join(ESCAPE + char if char in chars else char for char in text)


def split_list(cell: str) -> list[str]:
    """Return the non-empty items of a |-separated cell, unescaped and trimmed."""
    items = (_text(piece).strip() for piece in _split(tokens(cell), LIST_SEPARATOR))
    return [item for item in items if item]


def join_list(items: list[str]) -> str:
    """Write items as one |-separated cell."""
    return LIST_SEPARATOR.join(escape(str(item)) for item in items)


def split_pair(text: str) -> tuple[str, str]:
    """Split 'scheme:value' (or 'proprietary:NS:value', with \\: inside NS) into its parts."""
    return _split_pair(tokens(text.strip()))


def _split_pair(parts: list[Token]) -> tuple[str, str]:
    """Split tokens at the colon that ends the scheme."""
    parts = _strip(parts)
    text = _text(parts)
    start = len(PROPRIETARY) if text.lower().startswith(PROPRIETARY) else 0
    colon = next((i for i in range(start, len(parts)) if parts[i] == (":", False)), -1)
    if start:
        scheme = PROPRIETARY + _text(parts[start:colon]).strip() if colon >= 0 else ""
    else:
        scheme = _text(parts[:colon]).strip().lower() if colon >= 0 else ""
    value = _text(parts[colon + 1 :]).strip() if colon >= 0 else ""
    if scheme in ("", PROPRIETARY) or not value:
        raise ValueError(f"{text.strip()!r} is not scheme:value (for example eidr:10.5240/...)")
    return scheme, value


def format_pair(scheme: str, value: str) -> str:
    """Write 'scheme:value', escaping colons inside a proprietary namespace."""
    if scheme.startswith(PROPRIETARY):
        scheme = PROPRIETARY + escape(scheme[len(PROPRIETARY) :], ESCAPED_BY_DEFAULT + ":")
    else:
        scheme = escape(scheme)
    return f"{scheme}:{escape(value)}"


def parse_identifiers(cell: str) -> list[dict[str, Any]]:
    """Parse 'scheme:value|~scheme:value' into identifier dicts ('~': kept unverified)."""
    found: list[dict[str, Any]] = []
    for piece in _split(tokens(cell), LIST_SEPARATOR):
        piece = _strip(piece)
        if not piece:
            continue
        unverified = piece[0] == (UNVERIFIED_MARK, False)
        scheme, value = _split_pair(piece[1:] if unverified else piece)
        found.append(
            {"scheme": scheme, "value": value, **({"verified": False} if unverified else {})}
        )
    return found


def format_identifiers(identifiers: list[dict[str, Any]]) -> str:
    """Write identifier dicts as 'scheme:value|~scheme:value' ('~': failed its check)."""
    return LIST_SEPARATOR.join(
        (UNVERIFIED_MARK if i.get("verified") is False else "")
        + format_pair(i["scheme"], i["value"])
        for i in identifiers
    )


def parse_party(
    cell: str, default_kind: str, with_order: bool = False
) -> tuple[dict[str, Any], int | None]:
    """Parse 'Name [kind:person; country:AR; scheme:value; order:2]' into a party and its order."""
    parts = tokens(cell.strip())
    attributes: list[str] = []
    if parts and parts[-1] == ("]", False):
        opening = max((i for i, token in enumerate(parts) if token == ("[", False)), default=-1)
        if opening < 0:
            raise ValueError(
                f"{cell.strip()!r}: ']' closes no '['; write \\] for a bracket in a name"
            )
        inner = _split(parts[opening + 1 : -1], ATTRIBUTE_SEPARATOR)
        attributes = [piece for piece in inner if _text(piece).strip()]
        parts = parts[:opening]
    name = _text(parts).strip()
    if not name:
        raise ValueError(f"{cell.strip()!r}: the party has no name before its [attributes]")
    party: dict[str, Any] = {"kind": default_kind, "name": name, "identifiers": []}
    order = None
    for attribute in attributes:
        key, value = _split_pair(_strip(attribute))
        if key == "kind":
            party["kind"] = value.lower()
        elif key == "country":
            party["country"] = value
        elif key == "order":
            if not with_order:
                raise ValueError(
                    f"{_text(attribute).strip()!r}: only contributors have a credit order"
                )
            order = parse_int(value)
        else:
            party["identifiers"].append({"scheme": key, "value": value})
    return party, order


def format_party(party: dict[str, Any], default_kind: str, order: int | None = None) -> str:
    """Write a party as 'Name [attributes]', leaving out what the column implies."""
    attributes = []
    if party.get("kind") and party["kind"] != default_kind:
        attributes.append(f"kind:{party['kind']}")
    if party.get("country"):
        attributes.append(f"country:{party['country']}")
    attributes = [escape(a) for a in attributes]
    attributes += [format_pair(i["scheme"], i["value"]) for i in party.get("identifiers") or []]
    if order is not None:
        attributes.append(f"order:{order}")
    text = escape(party["name"])
    if attributes:
        text += " [" + "; ".join(attributes) + "]"
    return text


def split_parties(cell: str) -> list[str]:
    """Split a |-separated list of party cells, keeping each party's escapes."""
    pieces = []
    for piece in _split(tokens(cell), LIST_SEPARATOR):
        text = "".join(ESCAPE + char if escaped else char for char, escaped in piece).strip()
        if text:
            pieces.append(text)
    return pieces


def parse_number(text: str) -> float:
    """Parse a number written with a decimal point or a decimal comma."""
    cleaned = text.strip()
    if _PLAIN_NUMBER.match(cleaned):
        return float(cleaned)
    return float(parse_decimal(cleaned))


def parse_runtime(text: str) -> float:
    """Parse minutes (97 or 97.5), H:MM:SS or an ISO 8601 duration into minutes."""
    cleaned = text.strip()
    if _PLAIN_NUMBER.match(cleaned):
        return float(cleaned)
    return parse_duration_minutes(cleaned)


def format_number(value: float | int | None) -> str:
    """Write a number without a needless '.0'."""
    if value is None:
        return ""
    text = repr(float(value)) if isinstance(value, float) else str(value)
    return text[:-2] if text.endswith(".0") else text


def parse_iso_date(text: str) -> str:
    """Parse yyyy-mm-dd (or dd/mm/yyyy) and return the ISO date."""
    return parse_date(text).isoformat()


def parse_yes_no(text: str) -> bool:
    """Parse yes/no (also sí/no, sim/não, true/false, 1/0)."""
    return parse_bool(text)


def format_yes_no(value: bool | None) -> str:
    """Write a flag as yes, no or an empty cell."""
    return "" if value is None else ("yes" if value else "no")


def parse_json_object(text: str) -> dict[str, Any]:
    """Parse a cell holding a JSON object."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at character {exc.pos + 1}") from None
    except ValueError as exc:
        raise ValueError(f"not usable JSON: {str(exc).split(';')[0]}") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError('expected a JSON object such as {"segment": "TV PAGA"}')
    return value


def format_json_object(value: dict[str, Any] | None) -> str:
    """Write a JSON object compactly, or an empty cell for an empty object."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""


def parse_word(text: str) -> str:
    """Return a vocabulary word trimmed and in lower case."""
    return text.strip().lower()


def parse_integer(text: str) -> int:
    """Parse a whole number."""
    return parse_int(text)


def neutralise_formula(cell: str) -> str:
    """Put an apostrophe before a cell a spreadsheet would run as a formula (= + - @ tab CR).

    Cells that already start with apostrophes before such a character get one more, so that
    restore_formula gives every cell back exactly.
    """
    return FORMULA_GUARD + cell if _FORMULA_START.match(cell) else cell


def restore_formula(cell: str) -> str:
    """Remove the apostrophe neutralise_formula put before a formula-like cell."""
    return cell[1:] if _GUARDED_FORMULA.match(cell) else cell
