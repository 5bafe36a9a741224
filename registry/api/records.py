"""Single records in the exchange format, for agency systems that sync continuously."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView

from registry.api.auth_schemas import (
    BEARER,
    RECORD_BODY,
    ErrorSchema,
    RecordSchema,
    RecordWriteSchema,
)
from registry.api.blueprint import Blueprint
from registry.auth import current_principal, require_agency, require_role
from registry.errors import ValidationFailed
from registry.services.record_sync import MAX_RECORD_BYTES, read_record, write_record

blp = Blueprint(
    "records",
    __name__,
    url_prefix="/api/v1",
    description="Read, state and withdraw one record of an agency.",
)
PATH = "/records/<string(minlength=2, maxlength=32):agency>/<path:key>"
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "The record's version"}}


def _if_match() -> list[str] | None:
    """Return the version tags of If-Match, or None when the header is absent."""
    if "If-Match" not in request.headers:
        return None
    match = request.if_match
    return ["*"] if match.star_tag else list(match)


def _indexer():  # noqa: ANN202
    """Return the after-commit hook that indexes the touched work."""
    from registry.search.indexer import index_after_commit

    registry = current_app.extensions["registry"]
    return lambda ids: index_after_commit(registry, ids)


@blp.route(PATH)
class Record(MethodView):
    """What an agency states under one key."""

    @blp.response(200, RecordSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, schema=ErrorSchema, description="Nothing under this key")
    def get(self, agency: str, key: str):  # noqa: ANN201
        """Return the record; licence money terms only to its agency and admins."""
        state = read_record(current_app.extensions["registry"], agency, key, current_principal())
        return state.envelope, 200, {"ETag": f'"{state.etag}"'}

    @require_role("submitter")
    @blp.doc(security=BEARER, requestBody=RECORD_BODY)
    @blp.response(200, RecordWriteSchema, headers=ETAG_HEADER)
    @blp.alt_response(201, schema=RecordWriteSchema, description="Created")
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Another agency's key")
    @blp.alt_response(412, schema=ErrorSchema, description="If-Match names an older version")
    @blp.alt_response(413, schema=ErrorSchema, description="A body over 16 MiB")
    @blp.alt_response(422, schema=ErrorSchema, description="Not a valid record")
    def put(self, agency: str, key: str):  # noqa: ANN201
        """Create or replace the record (the same body again leaves it unchanged)."""
        principal = require_agency(agency)
        request.max_content_length = MAX_RECORD_BYTES  # 413 beyond, chunked bodies too
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ValidationFailed("the body must be one JSON object", {"_body": ["JSON object"]})
        registry = current_app.extensions["registry"]
        action, etag = write_record(registry, principal, agency, key, body, _if_match(), _indexer())
        status = 201 if action == "created" else 200
        result = {"agency": agency, "key": key, "action": action, "etag": etag}
        return result, status, {"ETag": f'"{etag}"'} if etag else {}

    @require_role("submitter")
    @blp.doc(security=BEARER)
    @blp.response(200, RecordWriteSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Another agency's key")
    @blp.alt_response(404, schema=ErrorSchema, description="Nothing under this key")
    @blp.alt_response(412, schema=ErrorSchema, description="If-Match names an older version")
    def delete(self, agency: str, key: str):  # noqa: ANN201
        """Withdraw the record: its facts go, a tombstone tells harvesters."""
        principal = require_agency(agency)
        registry = current_app.extensions["registry"]
        action, _ = write_record(registry, principal, agency, key, None, _if_match(), _indexer())
        return {"agency": agency, "key": key, "action": action, "etag": None}
