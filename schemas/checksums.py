"""Check-character algorithms used by audiovisual, company and person identifiers."""

from __future__ import annotations

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALPHANUMERIC_VALUE = {char: index for index, char in enumerate(ALPHANUMERIC)}

CNPJ_FIRST_WEIGHTS = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
CNPJ_SECOND_WEIGHTS = (6, *CNPJ_FIRST_WEIGHTS)
RUT_WEIGHTS = (4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def mod37_36(chars: str) -> str:
    """Return the ISO 7064 MOD 37,36 check character for upper-case alphanumeric text."""
    product = 36
    for char in chars:
        total = (product + _ALPHANUMERIC_VALUE[char]) % 36 or 36
        product = (total * 2) % 37
    return ALPHANUMERIC[(37 - product) % 36]


def mod11_2(digits: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character (0-9 or X) for a digit string."""
    total = 0
    for digit in digits:
        total = ((total + int(digit)) * 2) % 11
    check = (12 - total) % 11
    return "X" if check == 10 else str(check)


def _weighted_mod11(digits: str, weights: tuple[int, ...]) -> int:
    """Return the weighted digit sum of digits modulo 11."""
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True)) % 11


def cnpj_check_digits(base: str) -> str:
    """Return the two CNPJ check digits for the first twelve digits."""
    remainder = _weighted_mod11(base, CNPJ_FIRST_WEIGHTS)
    first = 0 if remainder < 2 else 11 - remainder
    remainder = _weighted_mod11(base + str(first), CNPJ_SECOND_WEIGHTS)
    second = 0 if remainder < 2 else 11 - remainder
    return f"{first}{second}"


def rut_check_digit(base: str) -> int | None:
    """Return the Uruguayan RUT check digit for the first eleven digits, None if none exists."""
    check = 11 - _weighted_mod11(base, RUT_WEIGHTS)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check
