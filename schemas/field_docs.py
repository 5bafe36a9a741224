"""What each field of the shared schema means: used by the OpenAPI document and docs/schema.md."""

from __future__ import annotations

FIELD_DOCS: dict[str, dict[str, str]] = {
    "WorkAggregate": {
        "work_type": "Kind of work; episode, season and series form a hierarchy via parent.",
        "year": "Year of production (or first release when that is all the source gives).",
        "year_end": "Last year of production, for works produced over several years.",
        "runtime_minutes": "Running time in minutes (decimals allowed).",
        "episode_count": "Number of episodes of a series or season.",
        "original_languages": "BCP 47 tags of the original spoken languages.",
        "countries_of_origin": "ISO 3166-1 alpha-2 codes; country names in pt/es/en are accepted.",
        "parent": "Identifier of the parent work (an episode's season, a season's series).",
        "sequence": "Position within the parent (episode or season number).",
        "titles": "Every title the source gives, in any language.",
        "identifiers": "Identifiers of the work; matched across sources to merge records.",
        "contributions": "People and companies who made the work and their roles.",
        "rights": "Who holds which economic rights, in which share, where and when.",
        "licenses": "Who may exploit the work: media, territories, languages, window.",
        "coproductions": "Countries (and companies) taking part in a co-production.",
        "attributes": "Further facts of the source kept as stated (classification, awards...).",
    },
    "Title": {
        "text": "The title as the source writes it.",
        "language": "BCP 47 tag of the title's language, when known.",
        "kind": "original, local (the title used in a territory), alternative, working, "
        "translated.",
        "territory": "Where a local title is used (ISO alpha-2).",
    },
    "Identifier": {
        "scheme": "Identifier scheme (isan, eidr, br_cpb, br_roe, br_crt, imdb, alid, uy_acau, "
        "proprietary:NAMESPACE, ...).",
        "value": "The identifier; stored in the scheme's canonical spelling after its check.",
    },
    "WorkIdentifier": {
        "scheme": "Identifier scheme (isan, eidr, br_cpb, br_roe, br_crt, imdb, alid, uy_acau, "
        "proprietary:NAMESPACE, ...).",
        "value": "The identifier; in the scheme's canonical spelling when verified, else as the "
        "source gave it (an EIDR or ISAN failing only its check character in its usual spelling).",
        "verified": "False when the value failed its scheme's checksum or syntax: the identifier "
        "is shown as unverified and never used to join works. Omitted when true.",
    },
    "PartyRef": {
        "kind": "person or organization.",
        "name": "Name as the source writes it.",
        "country": "Country of the party (ISO alpha-2), when known.",
        "identifiers": "Tax or registry identifiers of organisations (br_cnpj, uy_rut, isni...); "
        "personal tax numbers of natural persons are never stored.",
    },
    "Contribution": {
        "party": "Who contributed.",
        "role": "What they did.",
        "credit_order": "Order in the credits, when given.",
    },
    "RightsHolding": {
        "holder": "Who holds the right.",
        "right_type": "Which right: economic (all exploitation rights), distribution, ...",
        "share_pct": "Share of the right in percent; null when unknown.",
        "territories": "Where the holding applies: countries or region names (WORLD, LATAM, "
        "MERCOSUR, EU, ...), expanded to ISO codes on load; empty when unstated.",
        "excluded_territories": "Countries or regions taken out of territories (input only).",
        "territory_expression": "The territories as originally expressed, for display.",
        "valid_from": "First day of validity.",
        "valid_to": "Last day of validity; null when open.",
    },
    "License": {
        "licensor": "Who grants the licence, when known.",
        "licensee": "Who may exploit the work.",
        "media": "Licensed media (theatrical, free_tv, pay_tv, svod, tvod, avod, fvod, est, "
        "home_video, other).",
        "territories": "Licensed countries or regions, expanded to ISO codes on load.",
        "excluded_territories": "Countries or regions taken out of territories (input only).",
        "territory_expression": "The territories as originally expressed, for display.",
        "languages": "Allowed languages (BCP 47); empty when unrestricted or unstated.",
        "exclusive": "Whether the licence is exclusive; null when unstated.",
        "start": "First day of the window; null when it starts on a condition.",
        "end": "Last day of the window; null when open-ended.",
        "status": "active, expired, cancelled or pending.",
        "external_id": "The licence's identifier in its source (CRT number, Avails TransactionID).",
        "terms": "Further terms as stated (prices, conditions, admissions, box office).",
    },
    "CoProduction": {
        "country": "Participating country (ISO alpha-2).",
        "party": "Participating company, when known.",
        "share_pct": "Financial share in percent, when known.",
        "role": "majority, minority, financial, service (production services) or sole.",
    },
}


def describe(schema_name: str, field_name: str) -> str | None:
    """Return the meaning of a field of a schema, if documented."""
    return FIELD_DOCS.get(schema_name, {}).get(field_name)
