"""Text folding shared by importers, the index and query building."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# C0 controls but tab, line feed and carriage return, and DEL: never part of a name, title or
# identifier, and PostgreSQL cannot hold NUL in text at all.
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # as a regular expression class
_CONTROL = re.compile(f"[{CONTROLS}]")


def has_controls(text: str) -> bool:
    """Tell whether text holds a control character other than tab and line breaks."""
    return _CONTROL.search(text) is not None


def control_problem(text: str) -> str | None:
    """Say which control character text holds (tab and line breaks aside), or return None."""
    found = _CONTROL.search(text)
    return f"contains the control character U+{ord(found.group()):04X}" if found else None


NUL_SYMBOL = "\u2400"  # SYMBOL FOR NULL, shown where a NUL byte was


def storable(text: str) -> str:
    """Return raw source text that every database can hold: NUL bytes shown as U+2400 (␀)."""
    return text.replace("\x00", NUL_SYMBOL) if "\x00" in text else text


def fold(text: str | None) -> str:
    """Return text without accents, case-folded, with whitespace collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
