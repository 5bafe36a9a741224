"""Read an Avail element's header and Transactions into the shared intermediate dictionaries."""

from __future__ import annotations

from typing import Any

from lxml import etree

from importers.avails.xml_reader import (
    TERM_VALUE_KINDS,
    child,
    child_text,
    children,
    local,
    read_asset,
    serialize,
    text,
)

TRANSACTION_LABELS = {
    "licensee": "Licensee",
    "license_type": "LicenseType",
    "territories": "Territory",
    "excluded": "TerritoryExcluded",
    "start": "Start",
    "start_condition": "StartCondition",
    "end": "End",
    "end_condition": "EndCondition",
    "allowed_languages": "AllowedLanguage",
    "asset_languages": "AssetLanguage",
    "holdback_languages": "HoldbackLanguage",
    "format_profile": "FormatProfile",
    "rights_description": "LicenseRightsDescription",
    "terms": "Term",
    "experience_condition": "ExperienceCondition",
    "window_duration": "WindowDuration",
}
EXCLUDED_TERRITORY_NAMES = ("TerritoryExcluded", "ExcludedTerritory")


def _regions(elements: list[etree._Element]) -> list[str]:
    """Return the country or country-region codes of Region elements."""
    codes = []
    for elem in elements:
        code = child_text(elem, "country") or child_text(elem, "countryRegion") or text(elem)
        if code:
            codes.append(code)
    return codes


def _term(elem: etree._Element) -> dict[str, Any]:
    """Return a Term's name, the kind of its value, the value and its currency."""
    for value_elem in elem:
        kind = local(value_elem)
        if kind in TERM_VALUE_KINDS:
            return {
                "name": elem.get("termName"),
                "kind": kind,
                "value": text(value_elem),
                "currency": value_elem.get("currency"),
            }
    return {"name": elem.get("termName"), "kind": "Text", "value": text(elem), "currency": None}


def _licensee(elem: etree._Element) -> str | None:
    """Return the display name of a Transaction's Licensee."""
    licensee = child(elem, "Licensee")
    return child_text(licensee, "DisplayName") or text(licensee)


def read_transaction(elem: etree._Element, locator: str) -> dict[str, Any]:
    """Read one Transaction element."""
    start, end = child(elem, "StartCondition"), child(elem, "EndCondition")
    fmt = child(elem, "FormatProfile")
    return {
        "locator": locator,
        "raw": serialize(elem),
        "labels": dict(TRANSACTION_LABELS),
        "transaction_id": elem.get("TransactionID"),
        "licensee": _licensee(elem),
        "license_type": child_text(elem, "LicenseType"),
        "territories": _regions(children(elem, "Territory")),
        "excluded": _regions(
            [e for name in EXCLUDED_TERRITORY_NAMES for e in children(elem, name)]
        ),
        "start": child_text(elem, "Start"),
        "start_condition": text(start),
        "start_lag": start.get("lag") if start is not None else None,
        "end": child_text(elem, "End"),
        "end_condition": text(end),
        "end_lag": end.get("lag") if end is not None else None,
        "window_duration": child_text(elem, "WindowDuration"),
        "allowed_languages": [text(e) or "" for e in children(elem, "AllowedLanguage")],
        "asset_languages": [text(e) or "" for e in children(elem, "AssetLanguage")],
        "holdback_languages": [text(e) or "" for e in children(elem, "HoldbackLanguage")],
        "format_profile": text(fmt),
        "format_attributes": {k: v for k, v in (fmt.attrib.items() if fmt is not None else [])},
        "rights_description": child_text(elem, "LicenseRightsDescription"),
        "terms": [_term(term) for term in children(elem, "Term")],
        "description": child_text(elem, "Description"),
        "contract_id": child_text(elem, "ContractID"),
        "reporting_id": child_text(elem, "ReportingID"),
        "other_instructions": child_text(elem, "OtherInstructions"),
        "experience_condition": child_text(elem, "ExperienceCondition"),
    }


def _shared_entitlements(avail: etree._Element) -> list[dict[str, Any]]:
    """Return the ecosystem ids of an Avail's SharedEntitlement elements."""
    return [
        {
            "ecosystem": elem.get("ecosystem"),
            "ids": [text(e) for e in children(elem, "EcosystemID")],
        }
        for elem in children(avail, "SharedEntitlement")
    ]


def read_avail(avail: etree._Element, path: str) -> dict[str, Any]:
    """Read an Avail element into the intermediate avail dictionary."""
    assets = children(avail, "Asset")
    attributes: dict[str, Any] = {}
    entitlements = _shared_entitlements(avail)
    if entitlements:
        attributes["shared_entitlements"] = entitlements
    for name, key in (
        ("ExceptionFlag", "exception_flag"),
        ("ShortDescription", "short_description"),
    ):
        value = child_text(avail, name)
        if value:
            attributes[key] = value
    transactions = []
    for index, elem in enumerate(children(avail, "Transaction"), start=1):
        locator = f"{path}/Transaction[{index}] (line {elem.sourceline})"
        transactions.append(read_transaction(elem, locator))
    licensor = child(avail, "Licensor")
    provider = child(avail, "ServiceProvider")
    return {
        "alid": child_text(avail, "ALID"),
        "entry_type": child_text(child(avail, "Disposition"), "EntryType"),
        "avail_type": child_text(avail, "AvailType"),
        "licensor": child_text(licensor, "DisplayName"),
        "service_provider": child_text(provider, "DisplayName"),
        "asset": read_asset(assets[0]) if assets else None,
        "asset_count": len(assets),
        "transactions": transactions,
        "attributes": attributes,
        "labels": {
            "alid": "ALID",
            "entry_type": "Disposition/EntryType",
            "avail_type": "AvailType",
            "licensor": "Licensor/DisplayName",
            "asset": "Asset",
        },
    }
