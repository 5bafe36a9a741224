"""The parties of an ACAU award row: the company with its RUT and the applicant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from schemas.identifiers import normalize_rut
from schemas.text import fold

MISSING = frozenset({"", "n/a", "n/d", "#n/a", "-", "sin empresa"})
PERSONAL_ID_MAX_DIGITS = 8
_LEGAL_FORM = re.compile(
    r"\b(?:s\.?\s?r\.?\s?l|s\.?\s?a\.?\s?s?|ltda|llc|ltd|inc|s\.?\s?a\.?\s?p\.?\s?i.*|gmbh)\.?$",
    re.IGNORECASE,
)


def present(text: str | None) -> str | None:
    """Return the stripped text, or None for the file's markers of a missing value."""
    stripped = (text or "").strip()
    return None if fold(stripped) in MISSING else stripped


@dataclass(frozen=True)
class RutReading:
    """What the rut cell holds: a valid RUT, a personal number to withhold, or a note."""

    rut: str | None = None
    personal_number: bool = False
    note: str | None = None


def read_rut(cell: str) -> RutReading:
    """Classify the rut cell; never keep a natural person's identity number.

    Twelve digits are checked as a RUT. Eleven digits are a RUT whose leading zero was lost
    in a spreadsheet, accepted only when the restored value passes the check digit. Up to
    eight digits are a Uruguayan identity card number (cédula) of a natural person: it is
    withheld. Anything else is kept as a note, without an identifier.
    """
    text = present(cell)
    if text is None:
        return RutReading()
    digits = re.sub(r"[\s.\-]", "", text)
    if digits.isdigit() and len(digits) <= PERSONAL_ID_MAX_DIGITS:
        return RutReading(
            personal_number=True,
            note="the rut column holds a personal identity number (cédula); it is not stored",
        )
    candidate = digits.zfill(12) if digits.isdigit() and len(digits) == 11 else digits
    try:
        rut = normalize_rut(candidate)
    except ValueError as exc:
        return RutReading(note=f"rut {text!r} was not kept: {exc}")
    if candidate != digits:
        return RutReading(rut=rut, note=f"rut {text!r} read as {rut} (leading zero restored)")
    return RutReading(rut=rut)


def company(name: str | None, reading: RutReading) -> dict[str, Any] | None:
    """Return the beneficiary company, with its RUT when valid."""
    if name is None:
        return None
    if reading.personal_number:
        return {"kind": "person", "name": name, "country": None, "identifiers": []}
    identifiers = [{"scheme": "uy_rut", "value": reading.rut}] if reading.rut else []
    return {
        "kind": "organization",
        "name": name,
        "country": "UY" if reading.rut else None,
        "identifiers": identifiers,
    }


def applicant(
    name: str | None, beneficiary: dict[str, Any] | None, trade_name: str | None
) -> dict[str, Any] | None:
    """Return who applied: the beneficiary when the names match, else a person or a company."""
    if name is None:
        return None
    if beneficiary and fold(name) in {fold(beneficiary["name"]), fold(trade_name or "")}:
        return beneficiary
    kind = "organization" if _LEGAL_FORM.search(name) else "person"
    return {"kind": kind, "name": name, "country": None, "identifiers": []}
