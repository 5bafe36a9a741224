"""Party resources: search and detail with works, rights and licences."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE

from registry.api.args import PartySearchArgs
from registry.api.blueprint import ID, Blueprint
from registry.auth import current_principal
from registry.services.authority import hide_licence_terms
from registry.services.parties_read import party_detail
from registry.services.party_search import find_parties
from schemas.responses import ErrorSchema, PartyDetailSchema, PartySearchSchema

blp = Blueprint(
    "parties",
    __name__,
    url_prefix="/api/v1/parties",
    description="People and organisations that make, own or exploit works.",
)


@blp.route("")
class PartySearch(MethodView):
    """Find parties by name or identifier."""

    @blp.arguments(PartySearchArgs, location="query", as_kwargs=False, unknown=RAISE)
    @blp.response(200, PartySearchSchema)
    def get(self, args: dict):  # noqa: ANN201
        """Return parties whose names contain the words of q, or approximate matches."""
        return find_parties(
            current_app.extensions["registry"], args.get("q"), args["size"], args["offset"]
        )


@blp.route(f"/<{ID}:party_id>")
class PartyDetail(MethodView):
    """One party with its works, rights and licences."""

    @blp.response(200, PartyDetailSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such party")
    def get(self, party_id: int):  # noqa: ANN201
        """Return a party with what it made, holds and licenses."""
        with current_app.extensions["registry"].sessions() as session:
            detail = party_detail(session, party_id)
            # Licences here carry no source: their money terms are shown to admins only.
            hide_licence_terms(detail["licenses"], current_principal())
            return detail
