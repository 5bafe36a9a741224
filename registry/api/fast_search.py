"""Serve successful work searches without Flask's request machinery.

GET /api/v1/works is the registry's hottest endpoint and most of its time is Elasticsearch's;
Flask's request context, routing, webargs and response objects add a fixed cost on top that
shows at the p50 of fast queries. This WSGI layer answers that one route with the same
argument schema, service and JSON provider as the Flask view; the service answers in the
response schema's own shape. It hands the request to Flask untouched only before anything ran
(other routes and methods, credentials to check, invalid parameters), so a query never runs
twice; once the search ran, every outcome, an unexpected failure included, is answered here
with the bytes Flask's handlers would send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" decoding error handler
from marshmallow import ValidationError

from registry.api.args import WORK_SEARCH_ARGS
from registry.api.blueprint import query_dict
from registry.api.errors import error_body
from registry.api.jsonprovider import dump_bytes
from registry.context import Registry
from registry.errors import RegistryError
from registry.services.search import search_works

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Refusal = tuple[str, list[tuple[str, str]], bytes]
SEARCH_PATH = "/api/v1/works"
log = logging.getLogger("registry")


def query_pairs(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """Decode the query string exactly as werkzeug's Request.args does."""
    return parse_qsl(
        environ.get("QUERY_STRING", "").encode("latin-1").decode(),
        keep_blank_values=True,
        errors="werkzeug.url_quote",
    )


def json_headers(body: bytes) -> list[tuple[str, str]]:
    """Return the headers Flask sends with a JSON body."""
    return [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]


class FastWorkSearch:
    """WSGI middleware answering GET /api/v1/works, deferring everything else to the app.

    `refuse` (the rate limiter's gate) sees each request first and may answer it instead.
    """

    def __init__(
        self,
        app: WSGIApp,
        registry: Registry,
        refuse: Callable[[dict[str, Any]], Refusal | None] | None = None,
    ) -> None:
        self.app = app
        self.registry = registry
        self.refuse = refuse

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer a search, or pass the request on."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("PATH_INFO") != SEARCH_PATH
            or "HTTP_AUTHORIZATION" in environ
        ):
            return self.app(environ, start_response)
        try:
            args = WORK_SEARCH_ARGS.load(query_dict(query_pairs(environ), WORK_SEARCH_ARGS))
        except ValidationError:
            return self.app(environ, start_response)
        refusal = self.refuse(environ) if self.refuse is not None else None
        if refusal is not None:
            status_line, headers, body = refusal
            start_response(status_line, headers)
            return [body]
        status, body = self.answer(args)
        start_response(f"{status} {HTTPStatus(status).phrase}", json_headers(body))
        return [body]

    def answer(self, args: dict[str, Any]) -> tuple[int, bytes]:
        """Run the search once and return the status and body of its outcome."""
        try:
            # search_works answers in the response schema's own shape (dumping it is the identity,
            # which the parity test checks), so the schema's cost is not paid twice here.
            return 200, dump_bytes(search_works(self.registry, args))
        except RegistryError as exc:
            return exc.status, dump_bytes(exc.to_dict())
        except Exception:  # noqa: BLE001 - the same answer as Flask's handler of the unexpected
            log.exception("unhandled error")
            return 500, dump_bytes(error_body("internal_error", 500, "internal server error"))
