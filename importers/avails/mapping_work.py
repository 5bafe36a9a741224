"""Map an intermediate metadata level (asset, season, series, volume) to work facts."""

from __future__ import annotations

import re
from typing import Any

from importers.avails.vocab import PEOPLE_ROLES
from importers.base import NOTICE, WARNING, Finding
from importers.mddf_identifiers import (
    ContentIdError,
    alt_identifier,
    checked_identifier,
    content_identifier,
)
from schemas.parsing import parse_duration_minutes, parse_int, parse_year
from schemas.text import fold
from schemas.vocab import VocabularyError, is_country, normalize_language, work_type_from_avails


class Errors(dict[str, list[str]]):
    """Reasons to refuse by field label, with the warnings and notices found beside them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings: list[Finding] = []

    def absorb(self, other: dict[str, list[str]]) -> None:
        """Add another collection's reasons and findings to this one."""
        for key, reasons in other.items():
            self.setdefault(key, []).extend(reasons)
        self.findings.extend(getattr(other, "findings", []))


LEVEL_WORK_TYPES = {"season": "Season", "series": "Series", "volume": "Volume"}
_CONTENT_ID = re.compile(r"^md:cid:([^:]+):(.+)$", re.IGNORECASE)
_ALID = re.compile(r"^md:(?:pseudo)?alid:[^:]+:.+$", re.IGNORECASE)
_YEAR_PREFIX = re.compile(r"^(\d{4})(?:-\d{2}(?:-\d{2})?)?$")


def add_error(errors: Errors, label: str, reason: str) -> None:
    """Append a reason under a label."""
    errors.setdefault(label, []).append(reason)


def add_warning(errors: Errors, code: str, label: str, message: str) -> None:
    """Record a problem that leaves the record stored."""
    errors.findings.append(Finding(WARNING, code, label, message))


def add_notice(errors: Errors, code: str, label: str, message: str) -> None:
    """Record something unusual that changes nothing."""
    errors.findings.append(Finding(NOTICE, code, label, message))


def content_id_identifier(value: str | None) -> dict[str, str] | None:
    """Return the identifier a Common Metadata content id stands for, or None when bare."""
    text = (value or "").strip()
    return content_identifier(text) if text else None


def _has_identifier(content_id: str) -> bool:
    """Tell whether a content id maps to an identifier (invalid ones count: they are reported)."""
    try:
        return content_id_identifier(content_id) is not None
    except ContentIdError:
        return True


def alid_identifier(value: str | None) -> dict[str, str] | None:
    """Return an ALID identifier when the ALID is a scoped md:alid URN, else None."""
    text = (value or "").strip()
    return {"scheme": "alid", "value": text} if _ALID.match(text) else None


def _checked(errors: Errors, label: str, ident: dict[str, Any]) -> dict[str, Any]:
    """Return the identifier normalised, or kept unverified with a warning saying why."""
    checked, problem = checked_identifier(ident["scheme"], ident["value"])
    if problem:
        add_warning(errors, "identifier-unverified", label, f"kept unverified: {problem}")
    return checked


def level_identifiers(level: dict[str, Any], errors: Errors) -> list[dict[str, str]]:
    """Return the checked identifiers of a level: EIDRs, content id and AltIdentifiers."""
    labels = level.get("labels", {})
    found: list[tuple[str, dict[str, str]]] = []
    for field in ("eidr_title", "eidr_edit"):
        if level.get(field):
            found.append((labels.get(field, field), {"scheme": "eidr", "value": level[field]}))
    try:
        content = content_id_identifier(level.get("content_id"))
    except ContentIdError as exc:
        label = labels.get("content_id", "content_id")
        add_warning(errors, "content-id-malformed", label, str(exc))
        content = None
    if content:
        found.append((labels.get("content_id", "content_id"), content))
    for namespace, ident in level.get("alt_ids", []):
        label = labels.get("alt_ids", "alt_ids")
        if not namespace or not ident:
            add_warning(
                errors,
                "alt-identifier-incomplete",
                label,
                "an AltIdentifier needs both a Namespace and an Identifier; it is left out",
            )
            continue
        try:
            found.append((label, alt_identifier(namespace, ident)))
        except ContentIdError as exc:
            add_warning(errors, "alt-identifier-malformed", label, str(exc))
    identifiers = []
    for label, ident in found:
        checked = _checked(errors, label, ident)
        if checked not in identifiers:
            identifiers.append(checked)
    return identifiers


def parent_reference(level: dict[str, Any] | None) -> dict[str, str] | None:
    """Return the first verified identifier of a parent level, to link a child to it."""
    if level is None:
        return None
    verified = [i for i in level_identifiers(level, Errors()) if i.get("verified", True)]
    return verified[0] if verified else None


def _titles(level: dict[str, Any], errors: Errors) -> list[dict[str, Any]]:
    """Return the level's titles with checked languages and territories, first text wins."""
    label = level.get("labels", {}).get("titles", "titles")
    titles, seen = [], set()
    for title in level.get("titles", []):
        text = " ".join(str(title["text"]).split())
        if not text or fold(text) in seen:
            continue
        seen.add(fold(text))
        entry: dict[str, Any] = {"text": text, "kind": title.get("kind", "local")}
        if title.get("language"):
            try:
                entry["language"] = normalize_language(title["language"])
            except VocabularyError as exc:
                add_warning(errors, "language-invalid", f"{label}/@language", f"left out: {exc}")
        territory = (title.get("territory") or "").strip().upper()
        if territory:
            if is_country(territory):
                entry["territory"] = territory
            else:
                add_warning(
                    errors,
                    "territory-invalid",
                    f"{label}/@region",
                    f"left out: {territory!r} is not an ISO 3166-1 country",
                )
        titles.append(entry)
    return titles


def _number(level: dict[str, Any], field: str, errors: Errors) -> int | None:
    """Parse a whole-number field of a level, recording a bad value."""
    value = level.get(field)
    if value in (None, ""):
        return None
    try:
        return parse_int(str(value))
    except ValueError as exc:
        add_error(errors, level.get("labels", {}).get(field, field), str(exc))
        return None


def _year(level: dict[str, Any], errors: Errors) -> int | None:
    """Return the year of a ReleaseDate or ReleaseYear (yyyy, yyyy-mm or yyyy-mm-dd)."""
    value = str(level.get("year") or "").strip()
    if not value:
        return None
    label = level.get("labels", {}).get("year", "year")
    match = _YEAR_PREFIX.match(value)
    try:
        return parse_year(match.group(1) if match else value)
    except ValueError as exc:
        add_error(errors, label, str(exc))
        return None


def _runtime(level: dict[str, Any], errors: Errors) -> float | None:
    """Return the run length in minutes."""
    value = level.get("run_length")
    if not value:
        return None
    try:
        return parse_duration_minutes(str(value))
    except ValueError as exc:
        add_error(errors, level.get("labels", {}).get("run_length", "run_length"), str(exc))
        return None


def _people(level: dict[str, Any], errors: Errors) -> tuple[list[dict], list[dict]]:
    """Return contributions for known jobs and the other people as plain facts."""
    contributions, others = [], []
    for person in level.get("people", []):
        name = " ".join((person.get("name") or "").split())
        if not name:
            continue
        role = PEOPLE_ROLES.get(fold(person.get("job") or ""))
        if role is None:
            others.append({"job": person.get("job"), "name": name})
            continue
        order = _number({"order": person.get("order"), "labels": {}}, "order", errors)
        contributions.append(
            {"party": {"kind": "person", "name": name}, "role": role, "credit_order": order}
        )
    return contributions, others


def build_work(level: dict[str, Any], work_type: str | None) -> tuple[dict[str, Any], Errors]:
    """Return the work facts of one level and the reasons it is invalid."""
    errors = Errors()
    labels = level.get("labels", {})
    mapped = None
    if not work_type:
        add_error(errors, labels.get("work_type", "WorkType"), "WorkType is required")
    else:
        try:
            mapped = work_type_from_avails(work_type)
        except VocabularyError as exc:
            add_error(errors, labels.get("work_type", "WorkType"), str(exc))
    attributes = dict(level.get("attributes", {}))
    if mapped == "other":
        attributes["avails_work_type"] = work_type
    if level.get("content_id") and not _has_identifier(level["content_id"]):
        attributes["content_id"] = level["content_id"]
    count = _number(level, "count", errors)
    kind = level.get("level")
    if kind == "series" and count is not None:
        attributes["number_of_seasons"] = count
        count = None
    first = _number(level, "first_episode", errors)
    if first is not None:
        attributes["first_episode_number"] = first
    contributions, others = _people(level, errors)
    if others:
        attributes["people"] = others
    parent = parent_reference(level.get("parent"))
    if level.get("parent") and parent is None:
        attributes["parent_without_identifier"] = True
    work = {
        "work_type": mapped,
        "year": _year(level, errors),
        "runtime_minutes": _runtime(level, errors),
        "episode_count": count,
        "parent": parent,
        "sequence": _number(level, "number", errors),
        "titles": _titles(level, errors),
        "identifiers": level_identifiers(level, errors),
        "contributions": contributions,
        "attributes": attributes,
    }
    return work, errors
