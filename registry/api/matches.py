"""Linkage of a work: its members and candidates, and reviewers' decisions."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE, Schema, fields, validate

from registry.api.auth_schemas import BEARER, ErrorSchema
from registry.api.blueprint import Blueprint
from registry.auth import require_principal, require_role
from registry.matching import decisions

blp = Blueprint(
    "matches",
    __name__,
    url_prefix="/api/v1/works",
    description="Which records of which registries make one work, and why.",
)


class LinkBody(Schema):
    """A reviewer's decision that two works are one."""

    class Meta:
        unknown = RAISE

    other_work_id = fields.Integer(required=True, validate=validate.Range(1, 2**63 - 1))
    note = fields.String(validate=validate.Length(max=2000), load_default=None)


class SplitBody(Schema):
    """A reviewer's decision to take a work apart, or one record's origin out of it."""

    class Meta:
        unknown = RAISE

    record_key = fields.String(validate=validate.Length(min=1, max=300), load_default=None)
    note = fields.String(validate=validate.Length(max=2000), load_default=None)


def _sessions():  # noqa: ANN202
    """Return the session factory of the running app."""
    return current_app.extensions["registry"].sessions


@blp.route("/<int:work_id>/matches")
class WorkMatches(MethodView):
    """Members of a linked work with agency, score and explanation; candidates for review."""

    @blp.response(200)
    @blp.alt_response(404, schema=ErrorSchema, description="No such work")
    def get(self, work_id: int):  # noqa: ANN201
        """Return the work's members and its pending candidates."""
        with _sessions()() as session:
            return decisions.matches_of(session, work_id)


@blp.route("/<int:work_id>/matches/link")
class LinkDecision(MethodView):
    """Decide that two works are one."""

    @require_role("reviewer")
    @blp.doc(security=BEARER)
    @blp.arguments(LinkBody)
    @blp.response(200)
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Not a reviewer")
    @blp.alt_response(404, schema=ErrorSchema, description="No such work")
    @blp.alt_response(409, schema=ErrorSchema, description="Different exclusive identifiers")
    def post(self, body: dict, work_id: int):  # noqa: ANN201
        """Link the work with another; later linkage runs keep the decision."""
        actor = require_principal().token_name
        with _sessions()() as session:
            other = body["other_work_id"]
            decisions.link(session, work_id, other, actor, body["note"])
            return decisions.matches_of(session, work_id)


@blp.route("/<int:work_id>/matches/split")
class SplitDecision(MethodView):
    """Take a linked work apart."""

    @require_role("reviewer")
    @blp.doc(security=BEARER)
    @blp.arguments(SplitBody)
    @blp.response(200)
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Not a reviewer")
    @blp.alt_response(404, schema=ErrorSchema, description="No such work or record")
    def post(self, body: dict, work_id: int):  # noqa: ANN201
        """Split the work (or one record's origin out of it); later runs keep it apart."""
        actor = require_principal().token_name
        with _sessions()() as session:
            works = decisions.split(session, work_id, actor, body["record_key"], body["note"])
            return {"works": works}
