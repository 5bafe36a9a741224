"""Read RatingSet/Rating elements into JSON-safe facts, refusing incomplete ratings."""

from __future__ import annotations

from typing import Any

from importers.mec.elements import child, child_text, children, text_of
from importers.mec.reader import RecordReader
from importers.mec.values import region_code, region_source


def read_ratings(reader: RecordReader) -> list[dict[str, Any]]:
    """Return every complete rating; a rating without region, system or value is refused."""
    ratings = []
    for rating_set in children(reader.element, "RatingSet"):
        for rating in children(rating_set, "Rating"):
            region = child(rating, "Region")
            if region is None:
                reader.refuse(rating, "the rating names no Region")
                continue
            code = reader.checked(region_source(region), lambda _, r=region: region_code(r))
            system = child(rating, "System")
            value = child_text(rating, "Value")
            if system is None or not text_of(system):
                reader.refuse(
                    system if system is not None else rating,
                    "the rating System is empty: a rating needs its system",
                )
                continue
            if not value:
                reader.refuse(rating, "the rating Value is empty")
                continue
            if code is None:
                continue
            entry: dict[str, Any] = {"region": code, "system": text_of(system), "value": value}
            reasons = [text_of(r) for r in children(rating, "Reason") if text_of(r)]
            if reasons:
                entry["reasons"] = reasons
            ratings.append(entry)
    return ratings
