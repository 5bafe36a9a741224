"""Shapes of stored facts as the registry shows them: one licence for the API and the export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import Schema, fields

from schemas.vocab import LICENSE_STATUSES, MEDIA, PARTY_KINDS


class IsoDate(fields.Date):
    """A date written as ISO text, from a date object or the ISO text stored in a record."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        """Write a date, or pass stored ISO text through unchanged."""
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        return super()._serialize(value, attr, obj, **kwargs)


class IdentifierShape(Schema):
    """An identifier under one scheme."""

    scheme = fields.String(required=True)
    value = fields.String(required=True)


class PartyShape(Schema):
    """A party inside another resource; `id` when the registry stores it."""

    id = fields.Integer(metadata={"description": "registry party id"})
    kind = fields.String(required=True, metadata={"enum": list(PARTY_KINDS)})
    name = fields.String(required=True)
    country = fields.String(allow_none=True)


class ExchangePartyShape(PartyShape):
    """A party as the exchange format writes it, with the identifiers the source gave."""

    identifiers = fields.List(fields.Nested(IdentifierShape))


class LicenceShape(Schema):
    """A licence: who may exploit the work, in which media, territories, languages and window."""

    licensor = fields.Nested(PartyShape, allow_none=True)
    licensee = fields.Nested(PartyShape, allow_none=True)
    media = fields.List(fields.String(metadata={"enum": list(MEDIA)}))
    territories = fields.List(fields.String())
    territory_expression = fields.String(allow_none=True)
    languages = fields.List(fields.String())
    exclusive = fields.Boolean(allow_none=True)
    start = IsoDate(allow_none=True)
    end = IsoDate(allow_none=True)
    status = fields.String(metadata={"enum": list(LICENSE_STATUSES)})
    external_id = fields.String(allow_none=True)
    terms = fields.Dict(keys=fields.String())


class ExchangeLicenceShape(LicenceShape):
    """The licence shape with parties as the exchange format writes them."""

    licensor = fields.Nested(ExchangePartyShape, allow_none=True)
    licensee = fields.Nested(ExchangePartyShape, allow_none=True)


EXCHANGE_LICENCE = ExchangeLicenceShape()
