"""Response schemas of the API: each documents one answer and serialises it."""

from __future__ import annotations

from marshmallow import Schema, fields

from schemas.views import IsoDate, LicenceShape, PartyShape

Stamp = lambda **kw: fields.String(metadata={"format": "date-time"}, **kw)  # noqa: E731
Count = lambda **kw: fields.Integer(**kw)  # noqa: E731


class ErrorSchema(Schema):
    """The one error body of the API."""

    code = fields.String(required=True, metadata={"example": "not_found"})
    status = fields.Integer(required=True, metadata={"example": 404})
    message = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "reasons by parameter or field"},
    )


class FactSourceSchema(Schema):
    """The compact provenance of one fact."""

    record_id = fields.Integer(allow_none=True)
    agency = fields.String(allow_none=True)
    format = fields.String(allow_none=True)
    key = fields.String(allow_none=True)
    import_batch = fields.Integer(allow_none=True)


class SourceRecordSchema(FactSourceSchema):
    """A source record of a work with the file it came from."""

    locator = fields.String(allow_none=True)
    authoritative = fields.Boolean()
    file = fields.String(allow_none=True)
    updated_at = Stamp(allow_none=True)


class LicenseViewSchema(LicenceShape):
    """A stored licence with its id and source."""

    id = fields.Integer(required=True)
    terms = fields.Dict(keys=fields.String(), allow_none=True)
    source = fields.Nested(FactSourceSchema)


class RightsViewSchema(Schema):
    """A stored rights holding with its source."""

    id = fields.Integer(required=True)
    holder = fields.Nested(PartyShape, allow_none=True)
    right_type = fields.String()
    share_pct = fields.Float(allow_none=True)
    territories = fields.List(fields.String())
    territory_expression = fields.String(allow_none=True)
    valid_from = IsoDate(allow_none=True)
    valid_to = IsoDate(allow_none=True)
    source = fields.Nested(FactSourceSchema)


class TitleViewSchema(Schema):
    """A title with its source."""

    text = fields.String()
    language = fields.String(allow_none=True)
    kind = fields.String()
    territory = fields.String(allow_none=True)
    source = fields.Nested(FactSourceSchema)


class IdentifierViewSchema(Schema):
    """An identifier with its source; `verified` false when its check failed."""

    scheme = fields.String()
    value = fields.String()
    verified = fields.Boolean()
    source = fields.Nested(FactSourceSchema)


class CountryViewSchema(Schema):
    """A country of origin with its source."""

    country = fields.String()
    source = fields.Nested(FactSourceSchema)


class ContributionViewSchema(Schema):
    """A party's role in making the work, with its source."""

    party = fields.Nested(PartyShape, allow_none=True)
    role = fields.String()
    credit_order = fields.Integer(allow_none=True)
    source = fields.Nested(FactSourceSchema)


class CoProductionViewSchema(Schema):
    """A country's part in a co-production, with its source."""

    country = fields.String()
    party = fields.Nested(PartyShape, allow_none=True)
    share_pct = fields.Float(allow_none=True)
    role = fields.String(allow_none=True)
    source = fields.Nested(FactSourceSchema)


class AttributesSchema(Schema):
    """Free-form attributes one source states."""

    values = fields.Dict(keys=fields.String())
    source = fields.Nested(FactSourceSchema)


class ClaimSchema(Schema):
    """One value a field takes and the source records that state it."""

    value = fields.String()
    source_records = fields.List(fields.Integer())


class ScalarConflictSchema(Schema):
    """A field on which sources disagree."""

    field = fields.String()
    claims = fields.List(fields.Nested(ClaimSchema))


class PageSchema(Schema):
    """How much of a list the answer holds and where the rest is."""

    total = Count(required=True)
    returned = Count(required=True)
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page"})


class WorkDetailSchema(Schema):
    """A work with every fact, the source of each, and the conflicts among sources."""

    id = fields.Integer(required=True)
    version = fields.Integer()
    display_title = fields.String()
    work_type = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    year_end = fields.Integer(allow_none=True)
    runtime_minutes = fields.Float(allow_none=True)
    episode_count = fields.Integer(allow_none=True)
    original_languages = fields.List(fields.String())
    countries_of_origin = fields.List(fields.String())
    parent_id = fields.Integer(allow_none=True)
    sequence = fields.Integer(allow_none=True)
    incomplete = fields.Boolean()
    deleted = fields.Boolean()
    merged_into = fields.Integer(
        allow_none=True, metadata={"description": "the work this one was merged into"}
    )
    created_at = Stamp()
    updated_at = Stamp()
    titles = fields.List(fields.Nested(TitleViewSchema))
    identifiers = fields.List(fields.Nested(IdentifierViewSchema))
    countries = fields.List(fields.Nested(CountryViewSchema))
    contributions = fields.List(fields.Nested(ContributionViewSchema))
    rights = fields.List(fields.Nested(RightsViewSchema))
    licenses = fields.List(fields.Nested(LicenseViewSchema))
    coproductions = fields.List(fields.Nested(CoProductionViewSchema))
    attributes = fields.List(fields.Nested(AttributesSchema))
    sources = fields.List(fields.Nested(SourceRecordSchema))
    conflicts = fields.List(fields.Nested(ScalarConflictSchema))
    pages = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(PageSchema),
        metadata={"description": "paging of the long lists (sources, licenses, rights)"},
    )


class LicensePageSchema(Schema):
    """A page of a work's licences."""

    items = fields.List(fields.Nested(LicenseViewSchema))
    page = fields.Nested(PageSchema)


class RightsPageSchema(Schema):
    """A page of a work's rights holdings."""

    items = fields.List(fields.Nested(RightsViewSchema))
    page = fields.Nested(PageSchema)


class SourcePageSchema(Schema):
    """A page of a work's source records."""

    items = fields.List(fields.Nested(SourceRecordSchema))
    page = fields.Nested(PageSchema)


class WorkSearchItemSchema(Schema):
    """One work found by a search (`id` as in the work's detail)."""

    id = fields.Integer(required=True)
    display_title = fields.String()
    work_type = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    countries_of_origin = fields.List(fields.String())
    agencies = fields.List(fields.String())
    incomplete = fields.Boolean()
    version = fields.Integer()
    updated_at = Stamp(allow_none=True)
    score = fields.Float(allow_none=True)


class FacetBucketSchema(Schema):
    """A value of a facet and how many works have it."""

    value = fields.Raw(metadata={"description": "a string, or a number for decades"})
    count = Count()


class WorkSearchSchema(Schema):
    """A page of works found, with facets and the cursor of the next page."""

    total = Count(required=True)
    total_relation = fields.String(metadata={"enum": ["eq", "gte"]})
    items = fields.List(fields.Nested(WorkSearchItemSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetBucketSchema)))
    next_cursor = fields.String(allow_none=True)


class AvailabilityQuerySchema(Schema):
    """The question an availability answer replies to."""

    territory = fields.String(allow_none=True)
    media = fields.String(allow_none=True)
    on = fields.String(allow_none=True, metadata={"format": "date"})


class RightsConflictSchema(Schema):
    """Claims that cannot all hold: overlapping exclusive licences or shares above 100%."""

    type = fields.String(metadata={"enum": ["exclusive_overlap", "shares_over_100"]})
    licenses = fields.List(fields.Integer())
    media = fields.List(fields.String())
    territories = fields.List(fields.String())
    territory_count = Count()
    right_type = fields.String()
    territory = fields.String()
    total_pct = fields.Float()
    rights = fields.List(fields.Integer())


class AvailabilitySchema(Schema):
    """Who may exploit a work in a territory, medium and day, and which claims conflict."""

    work_id = fields.Integer(required=True)
    query = fields.Nested(AvailabilityQuerySchema)
    available = fields.Boolean()
    exclusive_holder = fields.List(fields.Integer(allow_none=True))
    licenses = fields.List(fields.Nested(LicenseViewSchema))
    rights = fields.List(fields.Nested(RightsViewSchema))
    conflicts = fields.List(fields.Nested(RightsConflictSchema))
    pages = fields.Dict(keys=fields.String(), values=fields.Nested(PageSchema))


class PartyIdentifierSchema(Schema):
    """An identifier of a party."""

    scheme = fields.String()
    value = fields.String()


class PartySchema(Schema):
    """A party's own fields, names and identifiers."""

    id = fields.Integer(required=True)
    kind = fields.String()
    name = fields.String()
    country = fields.String(allow_none=True)
    version = fields.Integer()
    names = fields.List(fields.String())
    identifiers = fields.List(fields.Nested(PartyIdentifierSchema))


class PartySearchSchema(Schema):
    """Parties found, exactly or (when nothing matched exactly) by approximate names."""

    total = Count(required=True)
    items = fields.List(fields.Nested(PartySchema))
    approximate = fields.Boolean()


class PartyWorkSchema(Schema):
    """A work a party made, in a role."""

    work_id = fields.Integer()
    title = fields.String(allow_none=True)
    role = fields.String()


class PartyRightsSchema(Schema):
    """A right a party holds in a work."""

    work_id = fields.Integer()
    title = fields.String(allow_none=True)
    right_type = fields.String()
    share_pct = fields.Float(allow_none=True)
    territories = fields.List(fields.String())


class PartyLicenseSchema(LicenseViewSchema):
    """A licence a party grants or holds, with the work it covers."""

    work_id = fields.Integer()
    title = fields.String(allow_none=True)
    role = fields.String(attribute="as", data_key="as", metadata={"enum": ["licensee", "licensor"]})


class PartyDetailSchema(PartySchema):
    """A party with the works it made, the rights it holds and its licences."""

    works = fields.List(fields.Nested(PartyWorkSchema))
    rights = fields.List(fields.Nested(PartyRightsSchema))
    licenses = fields.List(fields.Nested(PartyLicenseSchema))
    truncated = fields.Boolean()


class ChangedWorkSchema(Schema):
    """A work changed since the harvest moment."""

    id = fields.Integer(required=True)
    version = fields.Integer()
    updated_at = Stamp()
    deleted = fields.Boolean()
    incomplete = fields.Boolean()
    display_title = fields.String()


class ChangesSchema(Schema):
    """A page of changed works, oldest first."""

    items = fields.List(fields.Nested(ChangedWorkSchema))
    next_cursor = fields.String(allow_none=True)


WORK_SEARCH = WorkSearchSchema()
WORK_DETAIL = WorkDetailSchema()
