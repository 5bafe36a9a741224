"""Map one BasicMetadata element (MEC Basic or manifest BasicMetadata) onto a work aggregate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from importers.mddf_identifiers import (
    ContentIdError,
    alt_identifier,
    checked_identifier,
    content_identifier,
)
from importers.mec.credits import CreditsReader
from importers.mec.elements import Problem, child, child_text, children, text_of
from importers.mec.ratings import read_ratings
from importers.mec.reader import RecordReader
from importers.mec.titles import is_default, read_titles
from importers.mec.values import (
    WORK_TYPE_SPELLINGS,
    language_tag,
    region_code,
    region_source,
    work_type,
)
from schemas.parsing import parse_duration_minutes, parse_int, parse_partial_date, parse_year

HIERARCHY_RELATIONSHIPS = ("isepisodeof", "isseasonof")


@dataclass
class BasicRecord:
    """What one BasicMetadata element gives: its key, aggregate and refusals."""

    key: str | None
    data: dict[str, Any] | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_basic(element: etree._Element) -> BasicRecord:
    """Read a BasicMetadata element; bad values are refused one by one, a bad ContentID whole."""
    reader = RecordReader(element)
    content_id = (element.get("ContentID") or "").strip()
    if not content_id:
        return BasicRecord(None, None, {"@ContentID": ["the BasicMetadata has no ContentID"]})
    try:
        identity = content_identifier(content_id)
    except ContentIdError as exc:
        return BasicRecord(content_id, None, {"@ContentID": [str(exc)]})
    if identity:
        identity = _verified(reader, element, identity, "ContentID")
    attributes: dict[str, Any] = {"content_id": content_id}
    originals = _languages(reader, "OriginalLanguage")
    spoken = _languages(reader, "PrimarySpokenLanguage")
    if spoken:
        attributes["spoken_languages"] = spoken
    original_languages = originals or spoken
    data: dict[str, Any] = {
        "work_type": _work_type(reader),
        "original_languages": original_languages,
        "titles": read_titles(reader, original_languages),
        "identifiers": ([identity] if identity else []) + _alt_identifiers(reader),
        "countries_of_origin": _countries(reader),
    }
    data.update(_dates(reader, attributes))
    data.update(_hierarchy(reader, attributes))
    credits = CreditsReader(reader)
    credits.read()
    data["contributions"] = credits.contributions
    attributes.update(_descriptive(reader))
    for name, value in (
        ("ratings", read_ratings(reader)),
        ("releases", credits.releases),
        ("other_credits", credits.other_credits),
        ("characters", credits.characters),
        ("organizations", credits.organizations),
    ):
        if value:
            attributes[name] = value
    data["attributes"] = attributes
    return BasicRecord(content_id, data, problems=reader.problems)


def _languages(reader: RecordReader, name: str) -> list[str]:
    """Return the valid language tags of the named children, without repeats."""
    tags = [reader.checked(el, language_tag) for el in children(reader.element, name)]
    return list(dict.fromkeys(tag for tag in tags if tag))


def _verified(
    reader: RecordReader,
    element: etree._Element,
    identifier: dict[str, Any],
    attribute: str | None = None,
) -> dict[str, Any]:
    """Return the identifier checked, or unverified with a warning when its check fails."""
    checked, problem = checked_identifier(identifier["scheme"], identifier["value"])
    if problem:
        reader.warn(element, "identifier-unverified", f"kept unverified: {problem}", attribute)
    return checked


def _work_type(reader: RecordReader) -> str | None:
    """Return the registry work type; a value spelled in another case is kept with a warning."""
    element = child(reader.element, "WorkType")
    if element is None:
        return None
    text = text_of(element)
    try:
        return work_type(text)
    except ValueError as exc:
        if "case-sensitive" not in str(exc):
            reader.refuse(element, str(exc))
            return None
        reader.warn(element, "vocabulary-case", f"{exc}; read as such")
        return work_type(next(a for a in WORK_TYPE_SPELLINGS if a.lower() == text.lower()))


def _alt_identifiers(reader: RecordReader) -> list[dict[str, Any]]:
    """Return the identifiers of the AltIdentifier elements, unverified ones marked."""
    found = []
    for alt in children(reader.element, "AltIdentifier"):
        try:
            identifier = alt_identifier(child_text(alt, "Namespace"), child_text(alt, "Identifier"))
        except ContentIdError as exc:
            reader.refuse(alt, str(exc))
            continue
        found.append(_verified(reader, alt, identifier))
    return found


def _countries(reader: RecordReader) -> list[str]:
    """Return the countries of origin; a subdivision counts for its country."""
    codes = []
    for region in children(reader.element, "CountryOfOrigin"):
        code = reader.checked(region_source(region), lambda _, r=region: region_code(r))
        if code:
            codes.append(code.split("-", 1)[0])
    return list(dict.fromkeys(codes))


def _dates(reader: RecordReader, attributes: dict[str, Any]) -> dict[str, Any]:
    """Return year and runtime; keep the release date as a fact."""
    found: dict[str, Any] = {"year": None, "runtime_minutes": None}
    year_element = child(reader.element, "ReleaseYear")
    if year_element is not None:
        found["year"] = reader.checked(year_element, parse_year)
    date_element = child(reader.element, "ReleaseDate")
    if date_element is not None:
        parsed = reader.checked(date_element, parse_partial_date)
        if parsed:
            value, precision = parsed
            attributes["release_date"] = (
                str(value.year) if precision == "year" else value.isoformat()
            )
            if found["year"] is None and year_element is None:
                found["year"] = value.year
    run_length = child(reader.element, "RunLength")
    if run_length is not None:
        found["runtime_minutes"] = reader.checked(run_length, parse_duration_minutes)
    return found


def _hierarchy(reader: RecordReader, attributes: dict[str, Any]) -> dict[str, Any]:
    """Return the parent (season or series) and sequence number; other links become facts."""
    found: dict[str, Any] = {"parent": None, "sequence": _sequence(reader, reader.element)}
    sequence_info = child(reader.element, "SequenceInfo")
    if sequence_info is not None:
        for name, key in (
            ("HouseSequence", "house_sequence"),
            ("DistributionNumber", "distribution_number"),
        ):
            if child_text(sequence_info, name):
                attributes[key] = child_text(sequence_info, name)
    related = []
    for parent in children(reader.element, "Parent"):
        relationship = (parent.get("relationshipType") or "").strip()
        parent_id = _parent_content_id(parent)
        if relationship in HIERARCHY_RELATIONSHIPS and found["parent"] is None:
            identifier = _parent_identifier(reader, parent, parent_id)
            if identifier:
                found["parent"] = identifier
                found["sequence"] = _sequence(reader, parent) or found["sequence"]
                attributes["parent_relationship"] = relationship
        elif parent_id:
            related.append({"relationship": relationship, "content_id": parent_id})
    if related:
        attributes["related"] = related
    return found


def _sequence(reader: RecordReader, holder: etree._Element) -> int | None:
    """Return SequenceInfo/Number of an element, refusing a value that is not a whole number."""
    info = child(holder, "SequenceInfo")
    number = child(info, "Number") if info is not None else None
    return reader.checked(number, parse_int) if number is not None else None


def _parent_content_id(parent: etree._Element) -> str:
    """Return the ContentID a Parent element points to."""
    pointer = child(parent, "ParentContentID")
    if pointer is not None:
        return text_of(pointer)
    nested = child(parent, "Parent")
    return (nested.get("ContentID") or "").strip() if nested is not None else ""


def _parent_identifier(
    reader: RecordReader, parent: etree._Element, parent_id: str
) -> dict[str, str] | None:
    """Return the identifier of the parent work, refusing a ContentID that cannot link."""
    if not parent_id:
        reader.refuse(parent, "the Parent gives no ParentContentID")
        return None
    try:
        identifier = content_identifier(parent_id)
    except ContentIdError as exc:
        reader.refuse(parent, str(exc))
        return None
    if identifier is None:
        reader.refuse(parent, f"{parent_id!r} follows no known identifier scheme; cannot link")
        return None
    checked, problem = checked_identifier(identifier["scheme"], identifier["value"])
    if problem:
        reader.refuse(parent, f"{problem}; an unverified identifier never links works")
        return None
    return checked


def _descriptive(reader: RecordReader) -> dict[str, Any]:
    """Return genres, copyright line and work type details as facts."""
    facts: dict[str, Any] = {}
    infos = children(reader.element, "LocalizedInfo")
    default = next((i for i in infos if is_default(i)), None)
    source = default if default is not None else (infos[0] if infos else None)
    if source is not None:
        genres = [text_of(g) for g in children(source, "Genre") if text_of(g)]
        if genres:
            facts["genres"] = list(dict.fromkeys(genres))
        if child_text(source, "CopyrightLine"):
            facts["copyright_line"] = child_text(source, "CopyrightLine")
    details = [text_of(d) for d in children(reader.element, "WorkTypeDetail") if text_of(d)]
    if details:
        facts["work_type_detail"] = details
    return facts
