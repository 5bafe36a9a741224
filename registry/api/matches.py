"""Linkage of a work: its members and candidates, and reviewers' decisions."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE, Schema, fields, validate

from registry.api.auth_schemas import BEARER, ErrorSchema
from registry.api.blueprint import ID, Blueprint
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

    other_work_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))
    note = fields.String(validate=validate.Length(max=2000), load_default=None)


class SplitBody(Schema):
    """A reviewer's decision to take a work apart, or one record's origin out of it."""

    class Meta:
        unknown = RAISE

    record_key = fields.String(validate=validate.Length(min=1, max=300), load_default=None)
    note = fields.String(validate=validate.Length(max=2000), load_default=None)


class ComparisonSchema(Schema):
    """The level one comparison reached and the weight it added (log2 odds)."""

    comparison = fields.String()
    level = fields.String()
    weight = fields.Float(allow_none=True)


class PairSchema(Schema):
    """Two works compared by the model or decided by a person."""

    work_a = fields.Integer()
    work_b = fields.Integer()
    status = fields.String(metadata={"description": "linked, review or apart"})
    decided_by = fields.String(metadata={"description": "model or person"})
    probability = fields.Float(allow_none=True)
    match_weight = fields.Float(allow_none=True)
    explanation = fields.List(fields.Nested(ComparisonSchema))
    model_version = fields.String(allow_none=True)
    updated_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class MemberSchema(Schema):
    """A work whose records the linked work holds, with the pair that brought it in."""

    work_id = fields.Integer()
    agencies = fields.List(fields.String())
    link = fields.Nested(PairSchema, allow_none=True)


class MatchesSchema(Schema):
    """A work's members, candidates waiting for review, and pairs people kept apart."""

    work_id = fields.Integer(metadata={"description": "the work that answers (the survivor)"})
    requested_id = fields.Integer()
    members = fields.List(fields.Nested(MemberSchema))
    candidates = fields.List(fields.Nested(PairSchema))
    kept_apart = fields.List(fields.Nested(PairSchema))


class SplitSchema(Schema):
    """The works a split left."""

    works = fields.List(fields.Integer())


def _sessions():  # noqa: ANN202
    """Return the session factory of the running app."""
    return current_app.extensions["registry"].sessions


@blp.route(f"/<{ID}:work_id>/matches")
class WorkMatches(MethodView):
    """Members of a linked work with agency, score and explanation; candidates for review."""

    @blp.response(200, MatchesSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such work")
    def get(self, work_id: int):  # noqa: ANN201
        """Return the work's members and its pending candidates."""
        with _sessions()() as session:
            return decisions.matches_of(session, work_id)


@blp.route(f"/<{ID}:work_id>/matches/link")
class LinkDecision(MethodView):
    """Decide that two works are one."""

    @require_role("reviewer")
    @blp.doc(security=BEARER)
    @blp.arguments(LinkBody)
    @blp.response(200, MatchesSchema)
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


@blp.route(f"/<{ID}:work_id>/matches/split")
class SplitDecision(MethodView):
    """Take a linked work apart."""

    @require_role("reviewer")
    @blp.doc(security=BEARER)
    @blp.arguments(SplitBody, required=False)
    @blp.response(200, SplitSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Not a reviewer")
    @blp.alt_response(404, schema=ErrorSchema, description="No such work or record")
    def post(self, body: dict, work_id: int):  # noqa: ANN201
        """Split the work (or one record's origin out of it); later runs keep it apart."""
        actor = require_principal().token_name
        with _sessions()() as session:
            works = decisions.split(
                session, work_id, actor, body.get("record_key"), body.get("note")
            )
            return {"works": works}
