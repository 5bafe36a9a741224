"""Controlled vocabularies of the registry: terms, media, countries, regions, languages."""

from schemas.errors import VocabularyError
from schemas.vocab.countries import (
    COUNTRY_ALIASES,
    CURRENT_COUNTRIES,
    HISTORIC_COUNTRIES,
    country_code,
    country_name,
    is_country,
    strict_country_code,
)
from schemas.vocab.currencies import normalize_currency
from schemas.vocab.languages import language_from_name, normalize_language
from schemas.vocab.media import (
    ANCINE_UNSPECIFIED_SEGMENTS,
    MEDIA,
    MEDIA_ALIASES,
    is_unspecified_ancine_segment,
    media_from_ancine_segment,
    media_from_avails,
)
from schemas.vocab.regions import (
    REGIONS,
    expand_territories,
    region_name,
    territory_expression,
)
from schemas.vocab.tables import vocabulary_tables
from schemas.vocab.terms import (
    COPRODUCTION_ROLES,
    LICENSE_STATUSES,
    PARTY_KINDS,
    RIGHT_TYPES,
    ROLES,
    TITLE_KINDS,
    WORK_TYPE_ALIASES,
    WORK_TYPES,
    work_type_from_avails,
)

__all__ = [
    "ANCINE_UNSPECIFIED_SEGMENTS",
    "COPRODUCTION_ROLES",
    "COUNTRY_ALIASES",
    "CURRENT_COUNTRIES",
    "HISTORIC_COUNTRIES",
    "LICENSE_STATUSES",
    "MEDIA",
    "MEDIA_ALIASES",
    "PARTY_KINDS",
    "REGIONS",
    "RIGHT_TYPES",
    "ROLES",
    "TITLE_KINDS",
    "VocabularyError",
    "WORK_TYPES",
    "WORK_TYPE_ALIASES",
    "country_code",
    "country_name",
    "expand_territories",
    "is_country",
    "is_unspecified_ancine_segment",
    "language_from_name",
    "media_from_ancine_segment",
    "media_from_avails",
    "normalize_currency",
    "normalize_language",
    "region_name",
    "strict_country_code",
    "territory_expression",
    "vocabulary_tables",
    "work_type_from_avails",
]
