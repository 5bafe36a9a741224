"""Wire the pages into the app: Babel, the session secret, template helpers and the blueprint."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, request
from flask_babel import Babel, format_number

from registry.web import i18n
from registry.web.links import language_query
from schemas.vocab import MEDIA, WORK_TYPES

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
SECRET_FILE = "web-session-secret"


def session_secret(instance_path: Path) -> str:
    """Return the cookie-signing secret: REGISTRY_SECRET_KEY, else one kept in the instance."""
    configured = os.environ.get("REGISTRY_SECRET_KEY")
    if configured:
        return configured
    path = Path(instance_path) / SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def init_web(app: Flask) -> None:
    """Add the web pages, their languages and their helpers to the app."""
    from registry.web import (  # noqa: F401
        account,
        views_account,
        views_records,
        views_search,
        views_works,
    )
    from registry.web.blueprint import bp

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = session_secret(Path(app.instance_path))
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    app.config["BABEL_DEFAULT_LOCALE"] = i18n.DEFAULT_LANGUAGE
    Babel(app, locale_selector=i18n.select_locale)
    app.jinja_env.filters.update(
        country=i18n.country_label,
        language=i18n.language_label,
        term=lambda value, vocabulary: i18n.term_label(vocabulary, value),
        day=i18n.date_label,
        moment=i18n.moment_label,
        region=i18n.region_expression,
        scheme=i18n.scheme_label,
        format_number=format_number,
    )
    app.jinja_env.globals.update(
        LANGUAGES=i18n.LANGUAGES,
        html_lang=i18n.html_lang,
        countries_sorted=i18n.countries_sorted,
        MEDIA=MEDIA,
        WORK_TYPES=WORK_TYPES,
        language_query=lambda lang: language_query(request.args, lang),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_blueprint(bp)
