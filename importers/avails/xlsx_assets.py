"""Read the asset of an EMA Avails spreadsheet row: movie, episode, season, series, volume."""

from __future__ import annotations

from typing import Any

from importers.avails.xlsx_rows import get_text, split_cell

ATTRIBUTE_COLUMNS = {
    "LocalizationType": "localization_offering",
    "CompanyDisplayCredit": "company_display_credit",
    "GroupIdentity": "group_identity",
    "CaptionIncluded": "caption_included",
    "CaptionExemption": "usa_captions_exemption_reason",
    "PackageLabel": "package_label",
    "Metadata": "metadata",
    "Any": "any",
    "ExceptionFlag": "exception_flag",
}
# Per level: (prefix of title columns, EIDR title column, EIDR edit column, content id,
# alt id, sequence number, count) in the TV template; the movie template uses the first row.
LEVEL_COLUMNS = {
    "movie": ("", "TitleID", "EditID", "ContentID", "AltID", None, None),
    "episode": (
        "Episode",
        "EpisodeTitleID",
        "EpisodeID",
        "EpisodeContentID",
        "EpisodeAltID",
        "EpisodeNumber",
        None,
    ),
    "season": (
        "Season",
        "SeasonID",
        None,
        "SeasonContentID",
        "SeasonAltID",
        "SeasonNumber",
        "EpisodeCount",
    ),
    "series": ("Series", "SeriesID", None, "SeriesContentID", "SeriesAltID", None, "SeasonCount"),
    "volume": ("Volume", "VolumeID", None, "VolumeContentID", "VolumeAltID", "VolumeNumber", None),
}
PARENT_LEVELS = {"episode": "season", "volume": "season", "season": "series"}


def read_level(cells: dict[str, Any], kind: str, work_type: str | None) -> dict[str, Any]:
    """Read one level (movie, episode, season, series, volume) of a row, with its parents."""
    prefix, eidr_title, eidr_edit, content, alt, number, count = LEVEL_COLUMNS[kind]
    language = get_text(cells, "AssetLanguage")
    territories = split_cell(cells.get("Territory"))
    titles = [
        {
            "text": get_text(cells, f"{prefix}TitleDisplayUnlimited"),
            "kind": "local",
            "language": language if kind in ("movie", "episode") else None,
            "territory": territories[0] if len(territories) == 1 else None,
        },
        {"text": get_text(cells, f"{prefix}TitleInternalAlias"), "kind": "alternative"},
    ]
    attributes: dict[str, Any] = {}
    if get_text(cells, alt):
        attributes["alt_ids"] = [get_text(cells, alt)]
    labels = {
        "eidr_title": eidr_title,
        "eidr_edit": eidr_edit,
        "content_id": content,
        "number": number,
        "count": count,
        "titles": f"{prefix}TitleDisplayUnlimited",
        "year": "ReleaseYear",
        "run_length": "TotalRunTime",
        "work_type": "WorkType",
    }
    level: dict[str, Any] = {
        "level": kind if kind != "movie" else "asset",
        "work_type": work_type,
        "content_id": get_text(cells, content),
        "eidr_title": get_text(cells, eidr_title),
        "eidr_edit": get_text(cells, eidr_edit),
        "alt_ids": [],
        "labels": labels,
        "titles": [t for t in titles if t["text"]],
        "number": get_text(cells, number),
        "count": get_text(cells, count),
        "people": [],
        "ratings": [],
        "attributes": attributes,
        "parent": None,
    }
    parent_kind = PARENT_LEVELS.get(kind)
    if parent_kind:
        parent = read_level(cells, parent_kind, None)
        if parent["content_id"] or parent["eidr_title"] or parent["titles"]:
            level["parent"] = parent
    return level


def read_asset(cells: dict[str, Any], locator: str, raw: str) -> dict[str, Any]:
    """Read the asset of a row: its level by WorkType, and the work-wide columns."""
    work_type = get_text(cells, "WorkType")
    kind = (work_type or "").casefold()
    has_tv_columns = any(name.startswith(("Episode", "Season", "Series")) for name in cells)
    if kind not in ("episode", "season", "series", "volume") or not has_tv_columns:
        kind = "movie"
    asset = read_level(cells, kind, work_type)
    asset["level"] = "asset"
    parent = asset["parent"]
    while parent is not None:
        parent["raw"] = raw
        parent = parent["parent"]
    asset["year"] = get_text(cells, "ReleaseYear")
    asset["run_length"] = get_text(cells, "TotalRunTime")
    asset["people"] = [
        {"job": "Director", "name": name} for name in split_cell(cells.get("Director"))
    ]
    history = [
        {"type": kind_, "date": get_text(cells, column)}
        for column, kind_ in (
            ("ReleaseHistoryOriginal", "original"),
            ("ReleaseHistoryPhysicalHV", "DVD"),
        )
        if get_text(cells, column)
    ]
    if history:
        asset["attributes"]["release_history"] = history
    for column, key in ATTRIBUTE_COLUMNS.items():
        if get_text(cells, column):
            asset["attributes"][key] = get_text(cells, column)
    bundled = split_cell(cells.get("BundleALIDs") or cells.get("BundledALIDs"))
    if bundled:
        asset["attributes"]["bundled_alids"] = bundled
    retailer = {
        c: get_text(cells, c) for c in cells if c.startswith(("Retailer",)) and get_text(cells, c)
    }
    if retailer:
        asset["attributes"]["retailer_ids"] = retailer
    if get_text(cells, "RatingSystem") or get_text(cells, "RatingValue"):
        territories = split_cell(cells.get("Territory"))
        asset["ratings"].append(
            {
                "region": territories[0] if len(territories) == 1 else None,
                "system": get_text(cells, "RatingSystem"),
                "value": get_text(cells, "RatingValue"),
                "reasons": split_cell(cells.get("RatingReason")),
                "locator": locator,
                "raw": raw,
            }
        )
    return asset
