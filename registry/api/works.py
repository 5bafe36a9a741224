"""Work resources: search, detail, look-up by identifier, availability."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE

from registry.api.args import WORK_SEARCH_ARGS, AvailabilityArgs
from registry.api.blueprint import Blueprint
from registry.errors import ValidationFailed
from registry.services.availability import availability
from registry.services.read import find_work_id, work_detail
from registry.services.search import search_works
from schemas.identifiers import SCHEMES

blp = Blueprint(
    "works",
    __name__,
    url_prefix="/api/v1/works",
    description="Search works and read their rights and licences.",
)


def _registry():  # noqa: ANN202
    """Return the registry context of the running app."""
    return current_app.extensions["registry"]


@blp.route("")
class WorkSearch(MethodView):
    """Search across every agency's works."""

    @blp.arguments(WORK_SEARCH_ARGS, location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200)
    def get(self, args: dict):  # noqa: ANN201
        """Search works by text and filters, with facets and a cursor."""
        return search_works(_registry(), args)


@blp.route("/<int:work_id>")
class WorkDetail(MethodView):
    """One work with every fact and its source."""

    @blp.response(200)
    def get(self, work_id: int):  # noqa: ANN201
        """Return the full aggregate of a work."""
        with _registry().sessions() as session:
            return work_detail(session, work_id)


@blp.route("/by-identifier/<string:scheme>/<path:value>")
class WorkByIdentifier(MethodView):
    """Look a work up by any accepted spelling of an identifier."""

    @blp.response(200)
    def get(self, scheme: str, value: str):  # noqa: ANN201
        """Return the work holding the identifier."""

        if scheme not in SCHEMES and not scheme.startswith("proprietary:"):
            raise ValidationFailed(
                f"unknown identifier scheme {scheme!r}",
                {"scheme": [f"one of: {', '.join(SCHEMES)}"]},
            )
        with _registry().sessions() as session:
            return work_detail(session, find_work_id(session, scheme, value))


@blp.route("/<int:work_id>/availability")
class WorkAvailability(MethodView):
    """Who may exploit the work in a territory, medium and day."""

    @blp.arguments(AvailabilityArgs(), location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200)
    def get(self, args: dict, work_id: int):  # noqa: ANN201
        """Return the licences and rights that apply, and conflicts."""
        with _registry().sessions() as session:
            return availability(
                session, work_id, args.get("territory"), args.get("media"), args.get("on")
            )
