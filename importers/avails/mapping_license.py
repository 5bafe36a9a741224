"""Map an intermediate Avails transaction to a licence of the shared schema."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError

from importers.avails import vocab
from importers.avails.mapping_work import Errors, add_error, add_warning
from schemas.aggregate import LicenseSchema, flatten_errors
from schemas.parsing import parse_bool, parse_date, parse_decimal
from schemas.vocab import (
    VocabularyError,
    is_country,
    media_from_avails,
    normalize_currency,
    normalize_language,
    region_name,
)

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_SUBDIVISION = re.compile(r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")
TITLE_STATUS = {
    "pending": "pending",
    "approved": "active",
    "revoked": "cancelled",
    "expired": "expired",
}
_LICENSE_SCHEMA = LicenseSchema()


def _label(txn: dict[str, Any], field: str) -> str:
    """Return the element or column name that holds a field."""
    return txn.get("labels", {}).get(field, field)


def territory(code: str) -> tuple[str | None, str | None]:
    """Return (territory, None) for a country or region code, or (None, reason)."""
    text = code.strip()
    if _COUNTRY.match(text):
        upper = text.upper()
        if is_country(upper):
            return upper, None
        return None, f"{text!r} is not an ISO 3166-1 country"
    if _SUBDIVISION.match(text):
        return None, (
            f"{text!r} is a country subdivision; licences are kept per country, so a "
            f"sub-national territory cannot be stored without widening it"
        )
    region = region_name(text)
    if region:
        return region, None
    return None, f"{text!r} is not an ISO 3166-1 country or a known region"


def _territories(txn: dict[str, Any], field: str, errors: Errors) -> list[str]:
    """Return the checked territories of a field, recording the bad ones."""
    found = []
    for code in txn.get(field) or []:
        value, reason = territory(str(code))
        if reason:
            add_error(errors, _label(txn, field), reason)
        elif value not in found:
            found.append(value)
    return found


def _languages(txn: dict[str, Any], field: str, errors: Errors) -> list[str]:
    """Return the checked BCP 47 tags of a field; a bad one is left out with a warning."""
    found = []
    for tag in txn.get(field) or []:
        try:
            value = normalize_language(str(tag))
        except VocabularyError as exc:
            add_warning(errors, "language-invalid", _label(txn, field), f"left out: {exc}")
            continue
        if value not in found:
            found.append(value)
    return found


def _date(txn: dict[str, Any], field: str, errors: Errors) -> str | None:
    """Return a Start or End as an ISO date (the time of day is dropped)."""
    value = txn.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return parse_date(str(value)).isoformat()
    except ValueError as exc:
        add_error(errors, _label(txn, field), str(exc))
        return None


def _condition(txn: dict[str, Any], field: str, terms: dict, errors: Errors) -> None:
    """Keep a StartCondition or EndCondition (and its lag) in the terms after checking it."""
    value = txn.get(field)
    if not value:
        return
    reason = vocab.check("DateTimeCondition", str(value), _label(txn, field))
    if reason:
        add_error(errors, _label(txn, field), reason)
        return
    terms[field] = vocab.canonical("DateTimeCondition", str(value))
    lag = txn.get(field.replace("condition", "lag"))
    if lag:
        terms[field.replace("condition", "lag")] = str(lag)


def _term_value(term: dict[str, Any], label: str, errors: Errors) -> Any:
    """Return a Term's value in JSON-safe form, checked according to its kind."""
    kind, value = term.get("kind"), term.get("value")
    if value in (None, ""):
        return None
    try:
        if kind == "Money":
            amount = (
                parse_decimal(str(value))
                if not isinstance(value, int | float)
                else Decimal(str(value))
            )
            money: dict[str, Any] = {"amount": str(amount)}
            if term.get("currency"):
                money["currency"] = normalize_currency(str(term["currency"]))
            return money
        if kind == "Event":
            return parse_date(
                value.isoformat() if hasattr(value, "isoformat") else str(value)
            ).isoformat()
        if kind == "Number":
            return str(parse_decimal(str(value)))
        if kind == "Boolean":
            return value if isinstance(value, bool) else parse_bool(str(value))
    except ValueError as exc:
        add_warning(errors, "term-invalid", label, f"left out: {exc}")
        return None
    return value if isinstance(value, bool | int | float) else str(value)


def _terms(txn: dict[str, Any], license_: dict[str, Any], terms: dict, errors: Errors) -> None:
    """Check every Term; exclusivity and title status go to their own licence fields."""
    label = _label(txn, "terms")
    named: dict[str, Any] = {}
    for term in txn.get("terms") or []:
        name = (term.get("name") or "").strip()
        where = term.get("label") or f"{label}[@termName={name!r}]"
        reason = vocab.check_term_name(name) if name else "a Term needs a termName"
        if reason:
            add_warning(errors, "term-invalid", term.get("label") or label, f"left out: {reason}")
            continue
        value = _term_value(term, where, errors)
        if name == "Exclusive" and value is not None:
            try:
                license_["exclusive"] = value if isinstance(value, bool) else parse_bool(str(value))
            except ValueError as exc:
                add_error(errors, where, str(exc))
            continue
        if name == "TitleStatus" and value is not None:
            status = TITLE_STATUS.get(str(value).lower())
            if status is None:
                add_error(errors, where, vocab.check("@termName='TitleStatus'", str(value)) or "")
            else:
                license_["status"] = status
                terms["title_status"] = str(value)
            continue
        if value is None:
            continue
        if name in named:
            previous = named[name]
            named[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            named[name] = value
    if named:
        terms["avails_terms"] = named


def _checked_text(txn: dict, field: str, vocabulary: str, terms: dict, errors: Errors) -> None:
    """Keep a vocabulary-controlled text field in the terms after checking it."""
    value = txn.get(field)
    if not value:
        return
    reason = vocab.check(vocabulary, str(value), _label(txn, field))
    if reason:
        add_warning(errors, "vocabulary-unknown", _label(txn, field), f"left out: {reason}")
    else:
        terms[field] = vocab.canonical(vocabulary, str(value))


def _schema_errors(license_: dict[str, Any], txn: dict[str, Any]) -> Errors:
    """Validate the licence against the shared schema; name fields as the source does."""
    try:
        _LICENSE_SCHEMA.load(license_)
    except ValidationError as exc:
        return {
            _label(txn, key.split(".")[0]): reasons
            for key, reasons in flatten_errors(exc.messages).items()
        }
    return {}


def build_license(
    txn: dict[str, Any], licensor: dict | None, service_provider: str | None
) -> tuple[dict[str, Any], Errors]:
    """Return the licence one transaction states, the reasons it is refused and its warnings."""
    errors = Errors()
    terms: dict[str, Any] = {}
    license_: dict[str, Any] = {"licensor": licensor, "exclusive": None, "status": "active"}
    license_type = txn.get("license_type")
    media = []
    if not license_type:
        add_error(errors, _label(txn, "license_type"), "LicenseType is required")
    else:
        try:
            media = [media_from_avails(str(license_type))]
        except VocabularyError as exc:
            add_error(errors, _label(txn, "license_type"), str(exc))
        terms["license_type"] = str(license_type)
    included = _territories(txn, "territories", errors)
    excluded = _territories(txn, "excluded", errors)
    if not txn.get("territories") and excluded:
        included = ["WORLD"]
    if not txn.get("territories") and not txn.get("excluded"):
        add_error(errors, _label(txn, "territories"), "Territory is required")
    for bound in ("start", "end"):
        _condition(txn, f"{bound}_condition", terms, errors)
        if txn.get(bound) in (None, "") and not txn.get(f"{bound}_condition"):
            add_error(errors, _label(txn, bound), f"{_label(txn, bound)} is required")
    for field in ("asset_languages", "holdback_languages"):
        languages = _languages(txn, field, errors)
        if languages:
            terms[field] = languages
    _checked_text(txn, "format_profile", "FormatProfile", terms, errors)
    _checked_text(txn, "experience_condition", "ExperienceCondition", terms, errors)
    if txn.get("format_attributes"):
        terms["format_attributes"] = dict(txn["format_attributes"])
    rights = txn.get("rights_description")
    if rights:
        reason = vocab.check_rights_description(str(rights))
        if reason:
            label = _label(txn, "rights_description")
            add_warning(errors, "vocabulary-unknown", label, f"kept as text: {reason}")
        terms["license_rights_description"] = str(rights)
    _terms(txn, license_, terms, errors)
    for field in (
        "description",
        "contract_id",
        "reporting_id",
        "other_instructions",
        "window_duration",
        "store_type",
        "other_terms",
    ):
        if txn.get(field) not in (None, ""):
            terms[field] = str(txn[field])
    if service_provider:
        terms["service_provider"] = service_provider
    license_.update(
        {
            "licensee": {"kind": "organization", "name": txn["licensee"]}
            if txn.get("licensee")
            else None,
            "media": media,
            "territories": included,
            "excluded_territories": excluded,
            "languages": _languages(txn, "allowed_languages", errors),
            "start": _date(txn, "start", errors),
            "end": _date(txn, "end", errors),
            "external_id": str(txn["transaction_id"]) if txn.get("transaction_id") else None,
            "terms": terms,
        }
    )
    if not errors:
        errors.absorb(_schema_errors(license_, txn))
    return license_, errors
