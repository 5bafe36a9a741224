"""Exchange resources: the works changed since a harvest."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE

from registry.api.args import ChangesArgs
from registry.api.blueprint import Blueprint
from registry.services.changes import changed_works
from registry.services.search import cursor_secret
from schemas.responses import ChangesSchema

blp = Blueprint(
    "exchange",
    __name__,
    url_prefix="/api/v1",
    description="Harvest the works changed since a moment.",
)


@blp.route("/changes")
class Changes(MethodView):
    """Works changed since a moment, deletions included."""

    @blp.arguments(ChangesArgs, location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200, ChangesSchema)
    def get(self, args: dict):  # noqa: ANN201
        """Return works changed since the given time, oldest first."""
        registry = current_app.extensions["registry"]
        with registry.sessions() as session:
            return changed_works(
                session,
                args["since"],
                args.get("cursor"),
                args["size"],
                cursor_secret(registry.settings),
            )
