"""Parse the dates, durations, numbers and flags that agency files write as text.

Conventions chosen for ambiguous input:

* Dates written with slashes are day first (dd/mm/yyyy), as in Brazil and Uruguay.
* Durations: ``H:MM:SS`` has three parts; a two-part ``M:SS`` is minutes and seconds, as EMA
  TV avails spreadsheets write an episode's run time (``56:20``). Plain numbers are minutes.
* Numbers: when both ``.`` and ``,`` appear, the last one is the decimal separator. A lone
  ``,`` is a decimal comma (``16000,0``) and a lone ``.`` a decimal point (``97.5``) unless
  the caller names the decimal separator. Repeated separators are thousands groupings.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from schemas.text import fold

YEAR_RANGE = (1880, 2100)

_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_ISO_DURATION = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+(?:[.,]\d+)?)W)?(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)
_CLOCK = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d(?:[.,]\d+)?))?$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_CURRENCY_MARK = re.compile(r"^(?:R\$|US\$|U\$S|\$|€|£|[A-Z]{3}(?=[\s\d-]))\s*")
_GROUPED = {
    sep: re.compile(rf"^\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+$") for sep in (".", ",", " ", "'")
}

_TRUE_WORDS = frozenset({"sim", "si", "s", "yes", "y", "true", "t", "1", "verdadeiro", "verdadero"})
_FALSE_WORDS = frozenset({"nao", "no", "n", "false", "f", "0", "falso"})


def _clean(text: str, what: str) -> str:
    """Return text stripped of surrounding whitespace, refusing empty text."""
    if text is None or not str(text).strip():
        raise ValueError(f"expected {what}, got an empty value")
    return str(text).strip().replace("\u00a0", " ")


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy, d/m/yyyy or an ISO 8601 date or date-time and return the date."""
    cleaned = _clean(text, "a date")
    match = _DAY_FIRST.match(cleaned)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"{cleaned!r} is not a calendar date ({exc})") from exc
    if re.match(r"^\d{4}-\d{2}-\d{2}", cleaned):
        try:
            return datetime.fromisoformat(cleaned).date()
        except ValueError as exc:
            raise ValueError(f"{cleaned!r} is not a valid ISO 8601 date ({exc})") from exc
    raise ValueError(
        f"{cleaned!r} is not a date: expected dd/mm/yyyy or ISO 8601 (yyyy-mm-dd[Thh:mm:ss])"
    )


def parse_year(text: str) -> int:
    """Parse a four-digit year between 1880 and 2100."""
    cleaned = _clean(text, "a year")
    if not _YEAR.match(cleaned):
        raise ValueError(f"{cleaned!r} is not a year: expected four digits such as 2023")
    year = int(cleaned)
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise ValueError(f"year {year} is outside the accepted range {low}-{high}")
    return year


def parse_partial_date(text: str) -> tuple[date, str]:
    """Parse a full date or a bare year and return the date with its precision, day or year."""
    cleaned = _clean(text, "a date or a year")
    if _YEAR.match(cleaned):
        return date(parse_year(cleaned), 1, 1), "year"
    return parse_date(cleaned), "day"


def _number(text: str) -> Decimal:
    """Return a Decimal from digits with an optional decimal point or comma."""
    return Decimal(text.replace(",", "."))


def parse_duration_minutes(text: str) -> float:
    """Parse an ISO 8601 duration, H:MM:SS, M:SS or plain minutes and return minutes."""
    cleaned = _clean(text, "a duration").upper()
    minutes: Decimal
    iso = _ISO_DURATION.match(cleaned)
    clock = _CLOCK.match(cleaned)
    if iso:
        parts = {name: _number(value) for name, value in iso.groupdict().items() if value}
        minutes = (
            parts.get("weeks", Decimal(0)) * 7 * 24 * 60
            + parts.get("days", Decimal(0)) * 24 * 60
            + parts.get("hours", Decimal(0)) * 60
            + parts.get("minutes", Decimal(0))
            + parts.get("seconds", Decimal(0)) / 60
        )
    elif clock and clock.group(3) is not None:
        hours, mins, secs = clock.groups()
        minutes = int(hours) * 60 + int(mins) + _number(secs) / 60
    elif clock:
        mins, secs, _ = clock.groups()
        minutes = int(mins) + Decimal(int(secs)) / 60
    elif _PLAIN_NUMBER.match(cleaned):
        minutes = _number(cleaned)
    else:
        raise ValueError(
            f"{cleaned!r} is not a duration: expected ISO 8601 (PT1H37M49S), H:MM:SS, M:SS "
            f"or minutes (97 or 4,3); calendar units (years, months) are not accepted"
        )
    return float(minutes.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _strip_grouping(digits: str, original: str) -> str:
    """Remove thousands separators from an integer part after checking their placement."""
    if digits.isdigit():
        return digits
    for separator, pattern in _GROUPED.items():
        if separator in digits and pattern.match(digits):
            return digits.replace(separator, "")
    raise ValueError(f"{original!r} is not a number: misplaced thousands separators")


def parse_decimal(text: str, decimal_separator: str | None = None) -> Decimal:
    """Parse an amount such as 'R$ 107.941,79', '16000,0', '1,234.56' or '1234'."""
    original = _clean(text, "a number")
    cleaned = _CURRENCY_MARK.sub("", original.upper()).strip()
    sign = ""
    if cleaned[:1] in ("+", "-"):
        sign, cleaned = cleaned[0].replace("+", ""), cleaned[1:].strip()
    if decimal_separator not in (None, ".", ","):
        raise ValueError(f"decimal_separator must be '.' or ',', not {decimal_separator!r}")
    separator = decimal_separator
    if separator is None:
        last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
        if last_dot >= 0 and last_comma >= 0:
            separator = "." if last_dot > last_comma else ","
        elif cleaned.count(",") == 1:
            separator = ","
        elif cleaned.count(".") == 1:
            separator = "."
    integer, fraction = cleaned, ""
    if separator and separator in cleaned:
        integer, _, fraction = cleaned.rpartition(separator)
        if not fraction.isdigit():
            raise ValueError(f"{original!r} is not a number: expected digits after {separator!r}")
    if not integer:
        raise ValueError(f"{original!r} is not a number: no digits before the decimal separator")
    integer = _strip_grouping(integer, original)
    try:
        return Decimal(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")
    except InvalidOperation as exc:
        raise ValueError(f"{original!r} is not a number") from exc


def parse_int(text: str) -> int:
    """Parse an integer, accepting thousands separators such as '6.719' or '1,234,567'."""
    original = _clean(text, "a whole number")
    cleaned = original
    sign = ""
    if cleaned[:1] in ("+", "-"):
        sign, cleaned = cleaned[0].replace("+", ""), cleaned[1:].strip()
    if not cleaned or not (cleaned[0].isdigit() and cleaned[-1].isdigit()):
        raise ValueError(f"{original!r} is not a whole number")
    try:
        digits = _strip_grouping(cleaned, original)
    except ValueError:
        raise ValueError(
            f"{original!r} is not a whole number: expected digits, optionally grouped by "
            f"thousands as 6.719 or 6,719"
        ) from None
    if not digits.isascii():
        raise ValueError(f"{original!r} is not a whole number")
    return int(sign + digits)


def parse_bool(text: str) -> bool:
    """Parse yes/no words in Portuguese, Spanish and English, and 1/0, into a boolean."""
    word = fold(_clean(text, "yes or no"))
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(
        f"{text!r} is not a yes/no value: expected SIM/NÃO, Sí/No, yes/no, true/false, Y/N or 1/0"
    )
