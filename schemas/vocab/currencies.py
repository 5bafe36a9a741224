"""Validate ISO 4217 currency codes."""

from __future__ import annotations

from functools import cache

import pycountry

from schemas.errors import VocabularyError


@cache
def _currency_codes() -> frozenset[str]:
    """Return every ISO 4217 alphabetic code."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def normalize_currency(code: str) -> str:
    """Return an ISO 4217 currency code in upper case or raise VocabularyError."""
    text = (code or "").strip().upper()
    if text not in _currency_codes():
        raise VocabularyError(
            f"unknown currency {code!r}: expected an ISO 4217 code such as BRL, UYU, USD or EUR"
        )
    return text
