"""The columns of the exchange CSV template and how they group into repeatable items."""

from __future__ import annotations

KEY = "key"

ROLE_COLUMNS: dict[str, tuple[str, str]] = {
    "directors": ("director", "person"),
    "producers": ("producer", "person"),
    "production_companies": ("production_company", "organization"),
    "coproducers": ("coproducer", "organization"),
    "screenwriters": ("screenwriter", "person"),
    "performers": ("performer", "person"),
    "composers": ("composer", "person"),
    "distributors": ("distributor", "organization"),
    "broadcasters": ("broadcaster", "organization"),
    "applicants": ("applicant", "organization"),
}
COLUMN_OF_ROLE = {role: column for column, (role, _) in ROLE_COLUMNS.items()}

WORK_COLUMNS: tuple[str, ...] = (
    KEY,
    "action",
    "authoritative",
    "work_type",
    "year",
    "year_end",
    "runtime_minutes",
    "episode_count",
    "parent",
    "sequence",
    "countries_of_origin",
    "original_languages",
    "original_title",
    "original_title_language",
    "identifiers",
    *ROLE_COLUMNS,
    "attributes",
)

TITLE_COLUMNS: tuple[str, ...] = (
    "local_title",
    "local_title_kind",
    "local_title_language",
    "local_title_territory",
)
RIGHTS_COLUMNS: tuple[str, ...] = (
    "rights_holder",
    "right_type",
    "rights_share_pct",
    "rights_territories",
    "rights_excluded_territories",
    "rights_valid_from",
    "rights_valid_to",
)
LICENSE_COLUMNS: tuple[str, ...] = (
    "licensor",
    "licensee",
    "license_media",
    "license_territories",
    "license_excluded_territories",
    "license_languages",
    "license_start",
    "license_end",
    "license_exclusive",
    "license_status",
    "license_external_id",
    "license_terms",
)
COPRODUCTION_COLUMNS: tuple[str, ...] = (
    "coproduction_country",
    "coproduction_party",
    "coproduction_share_pct",
    "coproduction_role",
)

GROUPS: dict[str, tuple[str, ...]] = {
    "titles": TITLE_COLUMNS,
    "rights": RIGHTS_COLUMNS,
    "licenses": LICENSE_COLUMNS,
    "coproductions": COPRODUCTION_COLUMNS,
}
ALL_COLUMNS: tuple[str, ...] = WORK_COLUMNS + tuple(c for cols in GROUPS.values() for c in cols)
FIRST_ROW_ONLY: frozenset[str] = frozenset(WORK_COLUMNS) - {KEY}
PRIVATE_PREFIX = "x_"
SNIFF_MARKERS = frozenset(
    {"work_type", "original_title", "identifiers", "local_title", "license_media", "year"}
)
DEFAULT_PARTY_KIND = "organization"
LOCAL = "local"


def check_header(header: list[str]) -> list[str]:
    """Return the reasons a header cannot be read as the exchange template."""
    problems = []
    if KEY not in header:
        problems.append("the column 'key' is missing")
    unknown = [h for h in header if h not in ALL_COLUMNS and not h.startswith(PRIVATE_PREFIX)]
    if unknown:
        problems.append(
            f"unknown columns: {', '.join(unknown)} (private columns must start with "
            f"{PRIVATE_PREFIX!r}; see docs/exchange-format.md for the template)"
        )
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        problems.append(f"repeated columns: {', '.join(repeated)}")
    return problems


def looks_like_template(header: list[str]) -> bool:
    """Tell whether a header is the exchange template's."""
    return KEY in header and len(SNIFF_MARKERS.intersection(header)) >= 2
