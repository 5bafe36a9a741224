"""Withhold personal identity numbers from raw text before it is stored or shown."""

from __future__ import annotations

import re

# A Uruguayan identity card number (cédula): up to eight digits with a check digit, written
# 1.234.567-8, 1234567-8 or 12345678; not part of a longer number, a date or a decimal amount
# ("16000,0": digits followed by a comma and a digit are read as an amount and kept).
_CEDULA = re.compile(
    r"(?<![\d./])(?:\d{1,2}\.\d{3}\.\d{3}[-‐]?\d|\d{6,7}[-‐]\d|\d{6,8})(?![\d/]|[.,]\d)"
)
REDACTED = "[personal number withheld]"

# Formats whose rows may hold personal numbers of natural persons anywhere in a broken row.
PERSONAL_NUMBER_FORMATS = frozenset({"acau-csv"})


def redact_personal_numbers(text: str) -> str:
    """Replace every cédula-like number in text."""
    return _CEDULA.sub(REDACTED, text)


def redact_for_format(source_format: str, text: str) -> str:
    """Redact raw text of formats known to carry personal numbers; keep others verbatim."""
    if source_format in PERSONAL_NUMBER_FORMATS:
        return redact_personal_numbers(text)
    return text
