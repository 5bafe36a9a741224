"""The pages' blueprint, its request context helpers and its HTML error pages."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, g, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from registry.context import Registry
from registry.errors import NotFound, RegistryError, SearchUnavailable
from registry.web.i18n import LANG_COOKIE

log = logging.getLogger(__name__)
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)


def registry() -> Registry:
    """Return the registry context of the running app."""
    return current_app.extensions["registry"]


@bp.after_request
def _remember_language_and_protect(response):  # noqa: ANN001, ANN202
    """Remember a language chosen with ?lang= and forbid foreign scripts and framing."""
    chosen = g.get("chosen_language")
    if chosen:
        response.set_cookie(
            LANG_COOKIE, chosen, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax", httponly=True
        )
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def error_page(status: int, title: str, message: str):  # noqa: ANN201
    """Render the page that explains an error, with its status."""
    return render_template("error.html", status=status, title=title, message=message), status


@bp.app_errorhandler(404)
def _page_not_found(exc: HTTPException):  # noqa: ANN202
    """Answer unknown addresses with a page, and the API's JSON under /api/."""
    if request.path.startswith("/api/") or request.path in ("/healthz", "/readyz"):
        api_handler = current_app.error_handler_spec[None][None].get(HTTPException)
        if api_handler is not None:
            return api_handler(exc)
    return error_page(404, _("Page not found"), _("There is no page at this address."))


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound):  # noqa: ANN202
    """Say that the work, party or report does not exist."""
    return error_page(404, _("Not found"), _("Nothing in the registry has this number."))


@bp.errorhandler(SearchUnavailable)
def _search_down(exc: SearchUnavailable):  # noqa: ANN202
    """Say that search is down and that records can still be opened by number."""
    log.warning("search unavailable: %s", exc.message)
    return error_page(
        503,
        _("Search is unavailable"),
        _("The search service cannot be reached right now. Please try again in a few minutes."),
    )


@bp.errorhandler(RegistryError)
def _registry_error(exc: RegistryError):  # noqa: ANN202
    """Explain any other error the registry reports, with its status."""
    if exc.status == 422:
        return error_page(
            422, _("Check your request"), _("Some values of this request are not valid.")
        )
    return error_page(
        exc.status, _("Something went wrong"), _("The request could not be completed.")
    )


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):  # noqa: ANN202
    """Show HTTP errors raised inside a page as a page."""
    status = exc.code or 500
    if status == 404:
        return _page_not_found(exc)
    return error_page(status, _("Something went wrong"), _("The request could not be completed."))


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):  # noqa: ANN202
    """Log an unexpected failure and show a page without any internals."""
    log.exception("unhandled error on %s", request.path)
    return error_page(500, _("Something went wrong"), _("The request could not be completed."))
