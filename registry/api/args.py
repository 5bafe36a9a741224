"""Request argument schemas of the API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from registry.search.queries import SORTS
from schemas.fields import Choice, Normalized
from schemas.vocab import MEDIA, ROLES, WORK_TYPES, country_code

MAX_QUERY = 256


class StrictArgs(Schema):
    """Refuse unknown query parameters so typos are reported."""

    class Meta:
        unknown = "raise"


class WorkSearchArgs(StrictArgs):
    """Parameters of GET /works."""

    q = fields.String(validate=validate.Length(min=1, max=MAX_QUERY))
    country = fields.List(Normalized(country_code))
    coproduction_country = fields.List(Normalized(country_code))
    coproduction = fields.Boolean()
    agency = fields.List(fields.String(validate=validate.Length(max=40)))
    work_type = fields.List(Choice(WORK_TYPES))
    year_from = fields.Integer(validate=validate.Range(1870, 2100))
    year_to = fields.Integer(validate=validate.Range(1870, 2100))
    identifier = fields.String(validate=validate.Length(min=1, max=MAX_QUERY))
    party = fields.String(validate=validate.Length(min=1, max=MAX_QUERY))
    role = Choice(ROLES)
    holder = fields.String(validate=validate.Length(min=1, max=MAX_QUERY))
    media = Choice(MEDIA)
    territory = Normalized(country_code)
    on = fields.Date()
    exclusive = fields.Boolean()
    unlicensed = fields.Boolean(load_default=False)
    sort = fields.String(validate=validate.OneOf(sorted(SORTS)))
    size = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    cursor = fields.String(validate=validate.Length(max=2000))
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

    territory = Normalized(country_code)
    media = Choice(MEDIA)
    on = fields.Date()


class PartySearchArgs(StrictArgs):
    """Parameters of GET /parties."""

    q = fields.String(validate=validate.Length(min=1, max=MAX_QUERY))
    size = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 100000))


class ChangesArgs(StrictArgs):
    """Parameters of GET /changes."""

    since = fields.DateTime(required=True)
    cursor = fields.String(validate=validate.Length(max=200))
    size = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
