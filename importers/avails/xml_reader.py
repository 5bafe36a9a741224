"""Read one Avail XML element into the intermediate dictionaries shared with the spreadsheet.

Intermediate shapes (plain dicts, every value a string unless said otherwise):

* avail: alid, entry_type, avail_type, licensor, service_provider, short_description,
  asset (a level), transactions (list of transaction), attributes (dict), labels (dict).
* level (the asset and each parent: season, series; a volume's season...): level, work_type,
  content_id, eidr_title, eidr_edit, alt_ids [(namespace, id)], titles [{text, kind, language,
  territory}], number, count, first_episode, year, run_length, people [{job, name, order}],
  ratings [{region, system, value, reasons, locator, raw}], attributes, parent (level|None),
  labels {field: element or column name}, locator, raw.
* transaction: locator, raw, labels, transaction_id, licensee, license_type, territories,
  excluded, start, start_condition, start_lag, end, end_condition, end_lag, allowed_languages,
  asset_languages, holdback_languages, format_profile, format_attributes, rights_description,
  terms [{name, kind, value, currency}], description, contract_id, reporting_id,
  other_instructions, experience_condition, window_duration.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

_SPACES = re.compile(r"\s+")
LEVEL_PREFIXES = {
    "Metadata": ("asset", ""),
    "EpisodeMetadata": ("asset", ""),
    "SeasonMetadata": ("season", "Season"),
    "SeriesMetadata": ("series", "Series"),
    "VolumeMetadata": ("volume", "Volume"),
}
COUNT_ELEMENTS = {
    "season": "NumberOfEpisodes",
    "series": "NumberOfSeasons",
    "volume": "VolumeNumberOfEpisodes",
}
NUMBER_ELEMENTS = {"asset": "EpisodeNumber", "season": "SeasonNumber", "volume": "VolumeNumber"}
STATUS_ELEMENTS = {"season": "SeasonStatus", "series": "SeriesStatus", "volume": "Status"}
TERM_VALUE_KINDS = (
    "Money",
    "Event",
    "Text",
    "Number",
    "Boolean",
    "Duration",
    "URI",
    "Language",
    "ID",
    "YearDateTime",
    "Time",
)


def local(elem: etree._Element) -> str:
    """Return an element's name without its namespace."""
    return etree.QName(elem).localname if isinstance(elem.tag, str) else ""


def children(elem: etree._Element | None, name: str) -> list[etree._Element]:
    """Return the child elements with the given local name."""
    if elem is None:
        return []
    return [child for child in elem if isinstance(child.tag, str) and local(child) == name]


def child(elem: etree._Element | None, name: str) -> etree._Element | None:
    """Return the first child element with the given local name."""
    found = children(elem, name)
    return found[0] if found else None


def text(elem: etree._Element | None) -> str | None:
    """Return an element's text with whitespace collapsed, or None when empty."""
    if elem is None:
        return None
    value = _SPACES.sub(" ", "".join(elem.itertext())).strip()
    return value or None


def child_text(elem: etree._Element | None, name: str) -> str | None:
    """Return the collapsed text of the first child with the given name."""
    return text(child(elem, name))


def serialize(elem: etree._Element) -> str:
    """Return the element as XML text, without its tail."""
    return etree.tostring(elem, encoding="unicode", with_tail=False)


def _titles(meta: etree._Element, prefix: str) -> list[dict[str, Any]]:
    """Return the display, local and internal titles of one metadata level."""
    titles = []
    for elem in children(meta, f"{prefix}TitleDisplayUnlimited"):
        titles.append({"text": text(elem), "kind": "local", "language": elem.get("language")})
    for elem in children(meta, f"Local{prefix}Title") if prefix else []:
        titles.append({"text": text(elem), "kind": "local", "language": elem.get("language")})
    for elem in children(meta, f"{prefix}TitleInternalAlias"):
        titles.append({"text": text(elem), "kind": "alternative", "territory": elem.get("region")})
    return [title for title in titles if title["text"]]


def _alt_ids(meta: etree._Element, prefix: str) -> list[tuple[str | None, str | None]]:
    """Return the (namespace, identifier) pairs of the level's AltIdentifier elements."""
    return [
        (child_text(elem, "Namespace"), child_text(elem, "Identifier"))
        for elem in children(meta, f"{prefix}AltIdentifier")
    ]


def _sequence(elem: etree._Element | None) -> str | None:
    """Return the number inside a ContentSequenceInfo element, or None."""
    return child_text(elem, "Number") if elem is not None else None


def _ratings(meta: etree._Element, locator: str) -> list[dict[str, Any]]:
    """Return each Rating with its region, system, value and reasons."""
    ratings = []
    for index, elem in enumerate(children(child(meta, "Ratings"), "Rating"), start=1):
        region = child(elem, "Region")
        ratings.append(
            {
                "region": child_text(region, "country") or child_text(region, "countryRegion"),
                "system": child_text(elem, "System"),
                "value": child_text(elem, "Value"),
                "reasons": [text(r) for r in children(elem, "Reason") if text(r)],
                "path": f"{locator}/Ratings/Rating[{index}]",
                "line": elem.sourceline,
                "raw": serialize(elem),
            }
        )
    return ratings


def _people(meta: etree._Element) -> list[dict[str, Any]]:
    """Return the People of a level as job, name and billing order."""
    people = []
    for elem in children(meta, "People"):
        name = child_text(child(elem, "Name"), "DisplayName")
        for job in children(elem, "Job") or [None]:
            people.append(
                {
                    "job": child_text(job, "JobFunction"),
                    "name": name,
                    "order": child_text(job, "BillingBlockOrder"),
                }
            )
    return people


def _descriptive(meta: etree._Element, prefix: str, level: str) -> dict[str, Any]:
    """Return the facts of a level kept as attributes: history, captions, credits, status."""
    attributes: dict[str, Any] = {}
    history = [
        {
            "type": child_text(elem, "ReleaseType"),
            "date": child_text(elem, "Date"),
            "territory": child_text(child(elem, "DistrTerritory"), "country"),
        }
        for elem in children(meta, "ReleaseHistory")
    ]
    if history:
        attributes["release_history"] = history
    credits = [
        text(child(elem, "DisplayString")) for elem in children(meta, "CompanyDisplayCredit")
    ]
    if any(credits):
        attributes["company_display_credit"] = [credit for credit in credits if credit]
    for name, key in (
        ("USACaptionsExemptionReason", "usa_captions_exemption_reason"),
        ("LocalizationOffering", "localization_offering"),
        ("VersionDescription", "version_description"),
        ("EncodeID", "encode_id"),
        (STATUS_ELEMENTS.get(level, ""), "status"),
    ):
        value = child_text(meta, name) if name else None
        if value:
            attributes[key] = value
    return attributes


def read_level(meta: etree._Element, path: str, content_id: str | None) -> dict[str, Any]:
    """Read one metadata level (the asset, a season, a series or a volume) and its parents."""
    level, prefix = LEVEL_PREFIXES[local(meta)]
    eidr_edit = "EditEIDR-URN" if level == "asset" else None
    eidr_title = "TitleEIDR-URN" if level == "asset" else f"{prefix}EIDR-URN"
    number_name = NUMBER_ELEMENTS.get(level)
    count_name = COUNT_ELEMENTS.get(level)
    data: dict[str, Any] = {
        "level": level,
        "content_id": content_id or child_text(meta, f"{prefix}ContentID"),
        "eidr_title": child_text(meta, eidr_title),
        "eidr_edit": child_text(meta, eidr_edit) if eidr_edit else None,
        "alt_ids": _alt_ids(meta, prefix),
        "titles": _titles(meta, prefix),
        "number": _sequence(child(meta, number_name)) if number_name else None,
        "count": child_text(meta, count_name) if count_name else None,
        "first_episode": child_text(meta, "VolumeFirstEpisodeNumber"),
        "year": child_text(meta, "ReleaseDate"),
        "run_length": child_text(meta, "RunLength"),
        "people": _people(meta),
        "ratings": _ratings(meta, path),
        "attributes": _descriptive(meta, prefix, level),
        "labels": {
            "content_id": f"{path}/{prefix}ContentID" if level != "asset" else "Asset/@contentID",
            "eidr_title": f"{path}/{eidr_title}",
            "eidr_edit": f"{path}/{eidr_edit}",
            "alt_ids": f"{path}/{prefix}AltIdentifier",
            "titles": f"{path}/{prefix}TitleDisplayUnlimited",
            "number": f"{path}/{number_name}",
            "count": f"{path}/{count_name}",
            "first_episode": f"{path}/VolumeFirstEpisodeNumber",
            "year": f"{path}/ReleaseDate",
            "run_length": f"{path}/RunLength",
            "people": f"{path}/People",
        },
        "locator_path": path,
        "line": meta.sourceline,
        "raw": serialize(meta) if level != "asset" else None,
        "parent": None,
    }
    for parent_name in ("SeasonMetadata", "SeriesMetadata"):
        parent = child(meta, parent_name)
        if parent is not None:
            data["parent"] = read_level(parent, f"{path}/{parent_name}", None)
            break
    return data


def read_asset(asset: etree._Element) -> dict[str, Any]:
    """Read an Asset: its work type, metadata level with parents, and bundled ALIDs."""
    meta = next((elem for elem in asset if local(elem) in LEVEL_PREFIXES), None)
    if meta is None:
        data = {
            "level": "asset",
            "titles": [],
            "alt_ids": [],
            "people": [],
            "ratings": [],
            "attributes": {},
            "labels": {},
            "parent": None,
            "content_id": asset.get("contentID"),
        }
    else:
        data = read_level(meta, f"Asset/{local(meta)}", asset.get("contentID"))
        data["level"] = "asset"
    data["work_type"] = child_text(asset, "WorkType")
    detail = child_text(asset, "WorkTypeDetail")
    if detail:
        data["attributes"]["work_type_detail"] = detail
    bundled = [
        (elem.get("sequence"), child_text(elem, "BundledALID"))
        for elem in children(asset, "BundledAsset")
    ]
    if bundled:
        ordered = sorted(bundled, key=lambda item: int(item[0]) if (item[0] or "").isdigit() else 0)
        data["attributes"]["bundled_alids"] = [alid for _, alid in ordered if alid]
    return data
