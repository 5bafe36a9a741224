"""Serve successful work searches without Flask's request machinery.

GET /api/v1/works is the registry's hottest endpoint and most of its time is Elasticsearch's;
Flask's request context, routing, webargs and response objects add a fixed cost on top that
shows at the p50 of fast queries. This WSGI layer answers that one route with the same
argument schema, service and JSON provider as the Flask view; anything else (other routes and
methods, invalid parameters, unexpected failures) goes to Flask untouched, so error bodies
come from the one set of handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" decoding error handler
from marshmallow import ValidationError

from registry.api.args import WORK_SEARCH_ARGS
from registry.api.blueprint import query_dict
from registry.api.jsonprovider import dump_bytes
from registry.context import Registry
from registry.errors import RegistryError
from registry.services.search import search_works

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
SEARCH_PATH = "/api/v1/works"


def query_pairs(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """Decode the query string exactly as werkzeug's Request.args does."""
    return parse_qsl(
        environ.get("QUERY_STRING", "").encode("latin-1").decode(),
        keep_blank_values=True,
        errors="werkzeug.url_quote",
    )


class FastWorkSearch:
    """WSGI middleware answering GET /api/v1/works, deferring everything else to the app."""

    def __init__(
        self,
        app: WSGIApp,
        registry: Registry,
        refuse: Callable[[dict[str, Any]], tuple[str, list, bytes] | None] | None = None,
    ) -> None:
        self.app = app
        self.registry = registry
        self.refuse = refuse  # the rate limit of anonymous requests (registry/auth/limits.py)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer a search, or pass the request on."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != SEARCH_PATH:
            return self.app(environ, start_response)
        if "HTTP_AUTHORIZATION" in environ:
            return self.app(environ, start_response)
        refused = self.refuse(environ) if self.refuse else None
        if refused is not None:
            start_response(refused[0], refused[1])
            return [refused[2]]
        try:
            args = WORK_SEARCH_ARGS.load(query_dict(query_pairs(environ), WORK_SEARCH_ARGS))
            status, body = 200, dump_bytes(search_works(self.registry, args))
        except ValidationError:
            return self.app(environ, start_response)
        except RegistryError as exc:
            status, body = exc.status, dump_bytes(exc.to_dict())
        except Exception:  # noqa: BLE001 - Flask's handler logs it and answers 500 JSON
            return self.app(environ, start_response)
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]
