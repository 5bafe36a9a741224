"""Choose the reader's language and name countries, languages, media and terms in it."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from flask import g, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

LANGUAGES = {"pt_BR": "Português (Brasil)", "es": "Español", "en": "English"}
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "lang"
LANG_ALIASES = {"pt": "pt_BR", "pt-br": "pt_BR", "pt_br": "pt_BR", "es": "es", "en": "en"}

MEDIA_LABELS = {
    "theatrical": _l("Theatrical"),
    "free_tv": _l("Free TV"),
    "pay_tv": _l("Pay TV"),
    "svod": _l("Subscription video on demand (SVOD)"),
    "tvod": _l("Transactional video on demand (TVOD)"),
    "avod": _l("Advertising video on demand (AVOD)"),
    "fvod": _l("Free video on demand (FVOD)"),
    "est": _l("Electronic sell-through (EST)"),
    "home_video": _l("Home video"),
    "other": _l("Other media"),
}
ROLE_LABELS = {
    "director": _l("Director"),
    "producer": _l("Producer"),
    "production_company": _l("Production company"),
    "coproducer": _l("Co-producer"),
    "screenwriter": _l("Screenwriter"),
    "performer": _l("Performer"),
    "composer": _l("Composer"),
    "distributor": _l("Distributor"),
    "broadcaster": _l("Broadcaster"),
    "applicant": _l("Applicant"),
}
WORK_TYPE_LABELS = {
    "movie": _l("Feature film"),
    "short": _l("Short film"),
    "series": _l("Series"),
    "season": _l("Season"),
    "episode": _l("Episode"),
    "tv_movie": _l("TV movie"),
    "miniseries": _l("Miniseries"),
    "music_video": _l("Music video"),
    "other": _l("Other"),
}
RIGHT_TYPE_LABELS = {
    "economic": _l("Economic rights"),
    "distribution": _l("Distribution"),
    "remake": _l("Remake"),
    "derivative": _l("Derivative works"),
    "broadcast": _l("Broadcast"),
    "other": _l("Other"),
}
TITLE_KIND_LABELS = {
    "original": _l("Original title"),
    "local": _l("Local title"),
    "alternative": _l("Alternative title"),
    "working": _l("Working title"),
    "translated": _l("Translated title"),
}
STATUS_LABELS = {
    "active": _l("Active"),
    "expired": _l("Expired"),
    "cancelled": _l("Cancelled"),
    "pending": _l("Pending"),
    "queued": _l("Queued"),
    "running": _l("Running"),
    "completed": _l("Completed"),
    "failed": _l("Failed"),
    "interrupted": _l("Interrupted"),
}
COPRODUCTION_ROLE_LABELS = {
    "majority": _l("Majority"),
    "minority": _l("Minority"),
    "financial": _l("Financial"),
    "service": _l("Service"),
    "sole": _l("Sole"),
}
PARTY_KIND_LABELS = {"person": _l("Person"), "organization": _l("Organisation")}
FIELD_LABELS = {
    "work_type": _l("Type"),
    "year": _l("Year"),
    "year_end": _l("Last year"),
    "runtime_minutes": _l("Running time (minutes)"),
    "episode_count": _l("Episodes"),
    "countries_of_origin": _l("Countries of origin"),
    "rights_holders": _l("Rights holders"),
    "rights_shares": _l("Rights shares"),
}
VOCABULARIES = {
    "media": MEDIA_LABELS,
    "role": ROLE_LABELS,
    "work_type": WORK_TYPE_LABELS,
    "right_type": RIGHT_TYPE_LABELS,
    "title_kind": TITLE_KIND_LABELS,
    "status": STATUS_LABELS,
    "coproduction_role": COPRODUCTION_ROLE_LABELS,
    "party_kind": PARTY_KIND_LABELS,
    "field": FIELD_LABELS,
}


SCHEME_LABELS = {
    "isan": "ISAN",
    "eidr": "EIDR",
    "br_cpb": "CPB",
    "br_roe": "ROE",
    "br_crt": "CRT",
    "uy_acau": "ACAU",
    "imdb": "IMDb",
    "alid": "ALID",
    "br_cnpj": "CNPJ",
    "uy_rut": "RUT",
    "isni": "ISNI",
    "eidr_party": "EIDR",
}


def scheme_label(scheme: str | None) -> str:
    """Return the usual name of an identifier scheme (the scheme itself when it has none)."""
    return SCHEME_LABELS.get(scheme or "", scheme or "")


def normalise_language(value: str | None) -> str | None:
    """Return the supported language a `lang` value names, or None."""
    if not value:
        return None
    return LANG_ALIASES.get(value.strip().lower().replace("-", "_")) or LANG_ALIASES.get(
        value.strip().lower()
    )


def select_locale() -> str:
    """Pick the language: ?lang=, then the remembered cookie, then Accept-Language."""
    chosen = normalise_language(request.args.get("lang"))
    if chosen:
        g.chosen_language = chosen
        return chosen
    remembered = normalise_language(request.cookies.get(LANG_COOKIE))
    if remembered:
        return remembered
    best = request.accept_languages.best_match(["pt-BR", "pt", "es", "en"])
    return normalise_language(best) or DEFAULT_LANGUAGE


def _locale() -> Locale:
    """Return the Babel locale of the current request."""
    return get_locale() or Locale.parse(DEFAULT_LANGUAGE)


def html_lang() -> str:
    """Return the current language as a BCP 47 tag for the html element."""
    return str(_locale()).replace("_", "-")


def country_label(code: str | None) -> str:
    """Return a country's name in the reader's language (the code when Babel lacks it)."""
    if not code:
        return ""
    return _locale().territories.get(code.upper(), code)


@lru_cache(maxsize=8)
def _countries_in(locale: str) -> tuple[tuple[str, str], ...]:
    """Return (code, name) of every current country in a language, sorted by name."""
    from schemas.vocab import CURRENT_COUNTRIES

    names = Locale.parse(locale).territories
    return tuple(sorted(((c, names.get(c, c)) for c in CURRENT_COUNTRIES), key=lambda p: p[1]))


def language_label(code: str | None) -> str:
    """Return a language's name in the reader's language."""
    if not code:
        return ""
    base = code.replace("-", "_")
    try:
        return Locale.parse(base).get_display_name(_locale()) or code
    except (ValueError, TypeError):
        return _locale().languages.get(base.split("_")[0], code)


def term_label(vocabulary: str, value: Any) -> str:
    """Return a vocabulary term's label in the reader's language (the value when unknown)."""
    if value is None:
        return ""
    label = VOCABULARIES[vocabulary].get(str(value))
    return str(label) if label is not None else str(value)


def date_label(value: date | datetime | str | None) -> str:
    """Return a day in the reader's language."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "medium")


def moment_label(value: datetime | str | None) -> str:
    """Return a moment (day and time, UTC) in the reader's language."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return format_datetime(value, "medium") + " UTC"


def region_expression(expression: str | None) -> str | None:
    """Return a territory expression worth showing (a region), None for a plain country list."""
    if not expression:
        return None
    parts = [p for p in expression.replace(",", " ").replace(";", " ").split() if p]
    return None if all(len(p) == 2 and p.isalpha() for p in parts) else expression


def countries_sorted() -> tuple[tuple[str, str], ...]:
    """Return (code, name) of every current country, sorted by name in the reader's language."""
    return _countries_in(str(_locale()))
