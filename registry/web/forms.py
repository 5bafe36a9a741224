"""Read form fields with the API's own argument schemas and explain errors per field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from registry.api.args import AvailabilityArgs, PartySearchArgs, WorkSearchArgs

PAGE_FIELDS = ("lang",)
MAX_PAGE = 100_000

FIELD_HINTS = {
    "q": _l("Enter up to 256 characters."),
    "country": _l("Choose a country from the list."),
    "coproduction_country": _l("Choose a country from the list."),
    "territory": _l("Choose a country from the list."),
    "year_from": _l("Enter a year between 1870 and 2100."),
    "year_to": _l("Enter a year between 1870 and 2100, not before the first year."),
    "on": _l("Enter a date as YYYY-MM-DD."),
    "media": _l("Choose a medium from the list."),
    "work_type": _l("Choose a type from the list."),
    "sort": _l("Choose an order from the list."),
    "cursor": _l("This page link is no longer valid: start again from the first page."),
    "page": _l("Enter a page number."),
    "unlicensed": _l("Choose a medium or a territory to look for works without a licence."),
}
GENERIC_HINT = _l("This value is not valid.")
UNKNOWN_FIELD_HINT = _l("This page does not accept this field.")


class WebWorkSearchArgs(WorkSearchArgs):
    """The API's search parameters plus the page number shown to the reader."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))


class WebPartySearchArgs(PartySearchArgs):
    """The API's party search parameters plus the page number shown to the reader."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))


class FormErrors(Exception):
    """Form fields that could not be read, with a message for each."""

    def __init__(self, errors: dict[str, str], values: dict[str, Any]) -> None:
        super().__init__("invalid form fields")
        self.errors = errors
        self.values = values


def form_values(schema: Schema, args: MultiDict) -> dict[str, Any]:
    """Return the non-empty submitted values, as lists for list fields."""
    values: dict[str, Any] = {}
    for name in args:
        if name in PAGE_FIELDS:
            continue
        field = schema.fields.get(name)
        raw = [v.strip() for v in args.getlist(name) if v.strip()]
        if not raw:
            continue
        values[name] = raw if isinstance(field, fields.List) else raw[-1]
    return values


def field_messages(messages: dict[str, Any]) -> dict[str, str]:
    """Return one translated message per field that failed."""
    out = {}
    for name, problems in messages.items():
        text = " ".join(str(p) for p in problems) if isinstance(problems, list) else str(problems)
        if "Unknown field" in text:
            out[name] = str(UNKNOWN_FIELD_HINT)
        else:
            out[name] = str(FIELD_HINTS.get(name, GENERIC_HINT))
    return out


def parse(schema: Schema, args: MultiDict) -> dict[str, Any]:
    """Load the submitted fields with schema; raise FormErrors naming each bad field."""
    values = form_values(schema, args)
    try:
        return schema.load(values)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        raise FormErrors(field_messages(messages), values) from exc


WORK_SEARCH_FORM = WebWorkSearchArgs()
AVAILABILITY_FORM = AvailabilityArgs()
PARTY_SEARCH_FORM = WebPartySearchArgs()
