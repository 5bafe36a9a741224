"""The shared metadata schema: a work aggregate as importers produce and the API returns it."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from schemas.fields import (
    MAX_IDENTIFIER_LENGTH,
    MAX_LANGUAGE_TAG_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SCHEME_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    BoundedList,
    BoundedString,
    Choice,
    FoldedName,
    FreeForm,
    Normalized,
    TrimmedString,
    check_length,
)
from schemas.identifiers import normalize_identifier, normalize_scheme, unverified_form
from schemas.vocab import (
    COPRODUCTION_ROLES,
    LICENSE_STATUSES,
    MEDIA,
    PARTY_KINDS,
    RIGHT_TYPES,
    ROLES,
    TITLE_KINDS,
    WORK_TYPES,
    country_code,
    expand_territories,
    normalize_language,
    territory_expression,
)

Country = lambda **kw: Normalized(country_code, **kw)  # noqa: E731
Language = lambda **kw: Normalized(  # noqa: E731
    normalize_language,
    validate=validate.Length(
        max=MAX_LANGUAGE_TAG_LENGTH, error="longer than {max} characters as a language tag"
    ),
    **kw,
)
Percent = lambda: fields.Float(  # noqa: E731
    allow_none=True, load_default=None, validate=validate.Range(0, 100)
)
MAX_RUNTIME_MINUTES = 100_000
MAX_EPISODE_COUNT = 100_000
MAX_ORDINAL = 1_000_000
YEARS = validate.Range(1870, 2100)
Ordinal = lambda: fields.Integer(  # noqa: E731
    allow_none=True, load_default=None, validate=validate.Range(0, MAX_ORDINAL)
)


class StrictSchema(Schema):
    """Refuse unknown fields so typos never pass silently."""

    class Meta:
        unknown = RAISE
        ordered = True


class IdentifierSchema(StrictSchema):
    """An identifier under one scheme, normalised to its canonical form."""

    scheme = TrimmedString(required=True, max_length=MAX_SCHEME_LENGTH)
    value = TrimmedString(required=True, max_length=MAX_IDENTIFIER_LENGTH)

    @post_load
    def _normalize(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Check the value against its scheme's rules."""
        try:
            data["value"] = normalize_identifier(data["scheme"], data["value"])
        except ValueError as exc:
            raise ValidationError({"value": [str(exc)]}) from exc
        return data


class WorkIdentifierSchema(IdentifierSchema):
    """A work's identifier; one failing its scheme's checks is kept only when marked unverified.

    The loaded identifier carries ``verified: False`` only when its value failed the check;
    a verified identifier has no ``verified`` key, so stored fingerprints stay as they were.
    """

    verified = fields.Boolean(load_default=True)

    @post_load
    def _normalize(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Check the value; keep a failing one as given when the source marked it unverified."""
        verified = data.pop("verified")
        try:
            data["value"] = normalize_identifier(data["scheme"], data["value"])
        except ValueError as exc:
            if verified:
                raise ValidationError({"value": [str(exc)]}) from exc
            data["scheme"] = normalize_scheme(data["scheme"])
            data["value"] = unverified_form(data["scheme"], data["value"])
            data["verified"] = False
        return data


class PartyRefSchema(StrictSchema):
    """A party as a source names it: resolved to a registry party on import."""

    kind = Choice(PARTY_KINDS, required=True)
    name = FoldedName(required=True, max_length=MAX_NAME_LENGTH)
    country = Country(allow_none=True, load_default=None)
    identifiers = BoundedList(fields.Nested(IdentifierSchema), load_default=list)


class TitleSchema(StrictSchema):
    """A title of the work."""

    text = TrimmedString(required=True, max_length=MAX_TITLE_LENGTH)
    language = Language(allow_none=True, load_default=None)
    kind = Choice(TITLE_KINDS, load_default="original")
    territory = Country(allow_none=True, load_default=None)


class ContributionSchema(StrictSchema):
    """A party's role in making the work."""

    party = fields.Nested(PartyRefSchema, required=True)
    role = Choice(ROLES, required=True)
    credit_order = Ordinal()


class TerritorialSchema(StrictSchema):
    """Territories given as countries or regions, with exclusions, expanded on load."""

    territories = BoundedList(BoundedString(), load_default=list)
    excluded_territories = BoundedList(BoundedString(), load_default=list)
    territory_expression = BoundedString(allow_none=True, load_default=None)

    @post_load
    def _expand(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Expand region names into an explicit country list, keeping the expression."""
        included, excluded = data["territories"], data.pop("excluded_territories")
        try:
            data["territories"] = expand_territories(included, excluded)
        except ValueError as exc:
            raise ValidationError({"territories": [str(exc)]}) from exc
        if not data.get("territory_expression") and included:
            expression = territory_expression(included, excluded)
            try:
                data["territory_expression"] = check_length(expression, MAX_TEXT_LENGTH)
            except ValidationError as exc:
                raise ValidationError({"territory_expression": exc.messages}) from exc
        return data


class RightsHoldingSchema(TerritorialSchema):
    """Ownership of a right in the work."""

    holder = fields.Nested(PartyRefSchema, required=True)
    right_type = Choice(RIGHT_TYPES, required=True)
    share_pct = Percent()
    valid_from = fields.Date(allow_none=True, load_default=None)
    valid_to = fields.Date(allow_none=True, load_default=None)

    @validates_schema
    def _check_window(self, data: dict[str, Any], **_: Any) -> None:
        """Refuse a validity that ends before it starts."""
        _check_dates(data, "valid_from", "valid_to")


class LicenseSchema(TerritorialSchema):
    """Permission to exploit the work in some media, territories, languages and window."""

    licensor = fields.Nested(PartyRefSchema, allow_none=True, load_default=None)
    licensee = fields.Nested(PartyRefSchema, allow_none=True, load_default=None)
    media = BoundedList(Choice(MEDIA), required=True, validate=validate.Length(min=1))
    languages = BoundedList(Language(), load_default=list)
    exclusive = fields.Boolean(allow_none=True, load_default=None)
    start = fields.Date(allow_none=True, load_default=None)
    end = fields.Date(allow_none=True, load_default=None)
    status = Choice(LICENSE_STATUSES, load_default="active")
    external_id = BoundedString(
        max_length=MAX_IDENTIFIER_LENGTH, allow_none=True, load_default=None
    )
    terms = FreeForm(load_default=dict)

    @validates_schema
    def _check_window(self, data: dict[str, Any], **_: Any) -> None:
        """Refuse a window that ends before it starts."""
        _check_dates(data, "start", "end")


class CoProductionSchema(StrictSchema):
    """A country's part in a co-production."""

    country = Country(required=True)
    party = fields.Nested(PartyRefSchema, allow_none=True, load_default=None)
    share_pct = Percent()
    role = Choice(COPRODUCTION_ROLES, allow_none=True, load_default=None)


class WorkAggregateSchema(StrictSchema):
    """A work with every fact one source states about it."""

    work_type = Choice(WORK_TYPES, allow_none=True, load_default=None)
    year = fields.Integer(allow_none=True, load_default=None, validate=YEARS)
    year_end = fields.Integer(allow_none=True, load_default=None, validate=YEARS)
    runtime_minutes = fields.Float(
        allow_none=True, load_default=None, validate=validate.Range(0, MAX_RUNTIME_MINUTES)
    )
    episode_count = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(0, MAX_EPISODE_COUNT)
    )
    original_languages = BoundedList(Language(), load_default=list)
    countries_of_origin = BoundedList(Country(), load_default=list)
    parent = fields.Nested(IdentifierSchema, allow_none=True, load_default=None)
    sequence = Ordinal()
    titles = BoundedList(fields.Nested(TitleSchema), load_default=list)
    identifiers = BoundedList(fields.Nested(WorkIdentifierSchema), load_default=list)
    contributions = BoundedList(fields.Nested(ContributionSchema), load_default=list)
    rights = BoundedList(fields.Nested(RightsHoldingSchema), load_default=list)
    licenses = BoundedList(fields.Nested(LicenseSchema), load_default=list)
    coproductions = BoundedList(fields.Nested(CoProductionSchema), load_default=list)
    attributes = FreeForm(load_default=dict)

    @validates_schema
    def _check_identity(self, data: dict[str, Any], **_: Any) -> None:
        """Require an identifier or a title so the work can be found again."""
        if not data.get("identifiers") and not data.get("titles"):
            raise ValidationError("a work needs at least one identifier or title", "identifiers")
        if data.get("year") and data.get("year_end") and data["year_end"] < data["year"]:
            raise ValidationError("ends before the start year", "year_end")

    @post_load
    def _dedupe(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Drop repeated countries and identifiers while keeping their order."""
        data["countries_of_origin"] = list(dict.fromkeys(data["countries_of_origin"]))
        seen: set[tuple[str, str]] = set()
        unique = []
        for ident in data["identifiers"]:
            key = (ident["scheme"], ident["value"])
            if key not in seen:
                seen.add(key)
                unique.append(ident)
        data["identifiers"] = unique
        return data


def _check_dates(data: dict[str, Any], start: str, end: str) -> None:
    """Raise when the end date precedes the start date."""
    if data.get(start) and data.get(end) and data[end] < data[start]:
        raise ValidationError(f"{end} is before {start}", end)


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested error messages into {'field.path': [reasons]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                path = prefix or "_schema"
            for sub_path, reasons in flatten_errors(value, path).items():
                flat.setdefault(sub_path, []).extend(reasons)
    elif isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            flat[prefix or "_schema"] = list(messages)
        else:
            for item in messages:
                for sub_path, reasons in flatten_errors(item, prefix).items():
                    flat.setdefault(sub_path, []).extend(reasons)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


WORK_AGGREGATE = WorkAggregateSchema()
