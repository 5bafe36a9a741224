"""Work resources: search, detail, look-up by identifier, availability."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE

from registry.api.args import WORK_SEARCH_ARGS, AvailabilityArgs, FactPageArgs
from registry.api.blueprint import ID, Blueprint
from registry.auth import current_principal
from registry.errors import ValidationFailed
from registry.services.authority import hide_licence_terms
from registry.services.availability import availability
from registry.services.read import (
    find_work_id,
    licenses_page,
    rights_page,
    sources_page,
    work_view,
)
from registry.services.search import search_works
from schemas.identifiers import SCHEMES
from schemas.responses import (
    AvailabilitySchema,
    ErrorSchema,
    LicensePageSchema,
    RightsPageSchema,
    SourcePageSchema,
    WorkDetailSchema,
    WorkSearchSchema,
)

blp = Blueprint(
    "works",
    __name__,
    url_prefix="/api/v1/works",
    description="Search works and read their rights and licences.",
)


SCHEME_PARAMETER = {
    "name": "scheme",
    "in": "path",
    "required": True,
    "description": "an identifier scheme, or proprietary:<namespace>",
    "schema": {"type": "string", "pattern": f"^({'|'.join(SCHEMES)}|proprietary:[^/]+)$"},
}


def _registry():  # noqa: ANN202
    """Return the registry context of the running app."""
    return current_app.extensions["registry"]


def private_terms_hidden(result: dict) -> dict:
    """Blank licence money terms the caller's agency did not state (docs/auth.md)."""
    hide_licence_terms(result.get("licenses") or result.get("items") or [], current_principal())
    return result


@blp.route("")
class WorkSearch(MethodView):
    """Search across every agency's works."""

    @blp.arguments(WORK_SEARCH_ARGS, location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200, WorkSearchSchema)
    def get(self, args: dict):  # noqa: ANN201
        """Search works by text and filters, with facets and a cursor."""
        return search_works(_registry(), args)


@blp.route(f"/<{ID}:work_id>")
class WorkDetail(MethodView):
    """One work with every fact and its source."""

    @blp.response(200, WorkDetailSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such work")
    def get(self, work_id: int):  # noqa: ANN201
        """Return a work with its facts; sources, licences and rights paged (see `pages`)."""
        with _registry().sessions() as session:
            return private_terms_hidden(work_view(session, work_id))


@blp.route(f"/<{ID}:work_id>/licenses")
class WorkLicenses(MethodView):
    """The licences of a work, page by page."""

    @blp.arguments(FactPageArgs, location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200, LicensePageSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such work")
    def get(self, args: dict, work_id: int):  # noqa: ANN201
        """Return the licences of a work after a licence id, in id order."""
        with _registry().sessions() as session:
            return private_terms_hidden(
                licenses_page(session, work_id, args.get("after"), args["size"])
            )


@blp.route(f"/<{ID}:work_id>/rights")
class WorkRights(MethodView):
    """The rights holdings of a work, page by page."""

    @blp.arguments(FactPageArgs, location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200, RightsPageSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such work")
    def get(self, args: dict, work_id: int):  # noqa: ANN201
        """Return the rights holdings of a work after a holding id, in id order."""
        with _registry().sessions() as session:
            return rights_page(session, work_id, args.get("after"), args["size"])


@blp.route(f"/<{ID}:work_id>/sources")
class WorkSources(MethodView):
    """The source records of a work, page by page."""

    @blp.arguments(FactPageArgs, location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200, SourcePageSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such work")
    def get(self, args: dict, work_id: int):  # noqa: ANN201
        """Return the source records of a work after a record id, in id order."""
        with _registry().sessions() as session:
            return sources_page(session, work_id, args.get("after"), args["size"])


@blp.route("/by-identifier/<string:scheme>/<path:value>")
class WorkByIdentifier(MethodView):
    """Look a work up by any accepted spelling of an identifier."""

    @blp.doc(parameters=[SCHEME_PARAMETER])
    @blp.response(200, WorkDetailSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no work holds the identifier")
    @blp.alt_response(422, schema=ErrorSchema, description="unknown scheme, or a value it refuses")
    def get(self, scheme: str, value: str):  # noqa: ANN201
        """Return the work holding the identifier."""

        if scheme not in SCHEMES and not scheme.startswith("proprietary:"):
            raise ValidationFailed(
                f"unknown identifier scheme {scheme!r}",
                {"scheme": [f"one of: {', '.join(SCHEMES)}"]},
            )
        with _registry().sessions() as session:
            return private_terms_hidden(work_view(session, find_work_id(session, scheme, value)))


@blp.route(f"/<{ID}:work_id>/availability")
class WorkAvailability(MethodView):
    """Who may exploit the work in a territory, medium and day."""

    @blp.arguments(AvailabilityArgs(), location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200, AvailabilitySchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such work")
    def get(self, args: dict, work_id: int):  # noqa: ANN201
        """Return the licences and rights that apply, and conflicts."""
        with _registry().sessions() as session:
            return private_terms_hidden(
                availability(
                    session, work_id, args.get("territory"), args.get("media"), args.get("on")
                )
            )
