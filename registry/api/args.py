"""Request argument schemas of the API.

Every text parameter needs at least one character: an empty value (`country=`) is refused with
422 like any other invalid value, and the document says so with `minLength`.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from registry.search.queries import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, SORTS
from schemas.fields import Choice, Normalized
from schemas.text import CONTROLS
from schemas.vocab import MEDIA, ROLES, WORK_TYPES, country_code
from schemas.vocab.countries import CURRENT_COUNTRIES, HISTORIC_COUNTRIES

MAX_QUERY = MAX_QUERY_LENGTH
MAX_PAGE = 100
COUNTRY_CODES = sorted(CURRENT_COUNTRIES | set(HISTORIC_COUNTRIES))
NON_EMPTY = validate.Length(min=1)


def Country(**kwargs: object) -> Normalized:  # noqa: N802
    """Return a country parameter: an ISO 3166 code (a country name is also understood)."""
    return Normalized(country_code, metadata={"enum": COUNTRY_CODES}, **kwargs)


NO_CONTROLS = validate.Regexp(f"^[^{CONTROLS}]*$", error="must not contain control characters")


def Text(**kwargs: object) -> fields.String:  # noqa: N802
    """Return a free text parameter of 1 to MAX_QUERY characters, without control characters."""
    return fields.String(validate=[validate.Length(min=1, max=MAX_QUERY), NO_CONTROLS], **kwargs)


SEARCH_TEXT = (
    f"Words to find, at most {MAX_QUERY} characters; after accents and punctuation are folded"
    f" away only the first {MAX_QUERY_WORDS} words and {MAX_QUERY} characters are searched."
)


class StrictArgs(Schema):
    """Refuse unknown query parameters so typos are reported."""

    class Meta:
        unknown = "raise"


class WorkSearchArgs(StrictArgs):
    """Parameters of GET /works."""

    q = Text(metadata={"description": SEARCH_TEXT})
    country = fields.List(Country())
    coproduction_country = fields.List(Country())
    coproduction = fields.Boolean()
    agency = fields.List(fields.String(validate=validate.Length(min=1, max=40)))
    work_type = fields.List(Choice(WORK_TYPES))
    year_from = fields.Integer(validate=validate.Range(1870, 2100))
    year_to = fields.Integer(validate=validate.Range(1870, 2100))
    identifier = Text()
    party = Text(metadata={"description": "a party id, or words of its name"})
    role = Choice(ROLES)
    holder = Text(metadata={"description": "a rights holder's party id, or words of its name"})
    media = Choice(MEDIA)
    territory = Country()
    on = fields.Date()
    exclusive = fields.Boolean()
    unlicensed = fields.Boolean(load_default=False)
    sort = fields.String(validate=validate.OneOf(sorted(SORTS)))
    size = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PAGE))
    cursor = fields.String(
        validate=validate.Length(min=1, max=500),
        metadata={"description": "next_cursor of the previous page, with the same parameters"},
    )
    facets = fields.Boolean(load_default=False)

    @validates_schema
    def _check(self, data: dict, **_: object) -> None:
        """Check combinations that single fields cannot."""
        if data.get("year_from") and data.get("year_to") and data["year_to"] < data["year_from"]:
            raise ValidationError("year_to is before year_from", "year_to")
        if data.get("unlicensed") and not (data.get("media") or data.get("territory")):
            raise ValidationError("unlicensed needs media or territory", "unlicensed")


WORK_SEARCH_ARGS = WorkSearchArgs()


class AvailabilityArgs(StrictArgs):
    """Parameters of GET /works/{id}/availability."""

    territory = Country()
    media = Choice(MEDIA)
    on = fields.Date()


class FactPageArgs(StrictArgs):
    """Parameters of the paged lists of a work (licences, sources)."""

    after = fields.Integer(
        validate=validate.Range(0, 2**31 - 1), metadata={"description": "the last id seen"}
    )
    size = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(1, MAX_PAGE))


class PartySearchArgs(StrictArgs):
    """Parameters of GET /parties."""

    q = Text(metadata={"description": SEARCH_TEXT})
    size = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 100000))


class ChangesArgs(StrictArgs):
    """Parameters of GET /changes."""

    since = fields.DateTime(required=True)
    cursor = fields.String(validate=validate.Length(min=1, max=500))
    size = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
