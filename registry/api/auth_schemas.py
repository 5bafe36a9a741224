"""Response shapes of submissions, single records and the audit log."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from schemas.responses import ErrorSchema

__all__ = [
    "BEARER",
    "BEARER_SCHEME",
    "IMPORT_BODY",
    "RECORD_BODY",
    "AuditPageSchema",
    "BatchSchema",
    "ErrorSchema",
    "RecordSchema",
    "RecordWriteSchema",
]

BEARER_SCHEME = {"type": "http", "scheme": "bearer", "description": "registry token create"}
BEARER = [{"bearerAuth": []}]
IMPORT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "format": {"type": "string"},
                    "dry_run": {"type": "boolean"},
                    "agency": {"type": "string"},
                },
            }
        },
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    },
}
RECORD_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "One exchange envelope (docs/exchange-format.md); key optional",
                "properties": {
                    "format": {"type": "string"},
                    "key": {"type": "string"},
                    "authoritative": {"type": "boolean"},
                    "origin": {"type": "object"},
                    "work": {"type": "object"},
                },
                "required": ["work"],
            }
        }
    },
}


class CountsSchema(Schema):
    """Counts of a batch; read equals the sum of the outcomes once it ends."""

    read = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    deleted = fields.Integer()
    rejected = fields.Integer()


class BatchRejectionSchema(Schema):
    """A refused record: where it was, its raw text and why."""

    locator = fields.String()
    raw = fields.String()
    errors = fields.Dict(keys=fields.String())


class BatchSchema(Schema):
    """An import batch: queued, running, completed, failed or interrupted."""

    id = fields.Integer(required=True)
    agency = fields.String()
    format = fields.String()
    file = fields.String()
    sha256 = fields.String()
    status = fields.String(
        validate=validate.OneOf(("queued", "running", "completed", "failed", "interrupted"))
    )
    message = fields.String(allow_none=True)
    dry_run = fields.Boolean()
    counts = fields.Nested(CountsSchema)
    attempts = fields.Integer()
    submitted_by = fields.String(
        allow_none=True,
        metadata={"description": "The token's name; only for its agency and admins."},
    )
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    rejections = fields.List(
        fields.Nested(BatchRejectionSchema),
        allow_none=True,
        metadata={"description": "Only for the batch's agency and admins; null otherwise."},
    )
    rejections_total = fields.Integer(allow_none=True)


class RecordSchema(Schema):
    """One record in the exchange format (a JSON Lines envelope)."""

    format = fields.String(required=True)
    key = fields.String(required=True)
    action = fields.String()
    authoritative = fields.Boolean()
    work = fields.Dict(keys=fields.String(), allow_none=True)


class RecordWriteSchema(Schema):
    """What a write did to a record, and its new version."""

    agency = fields.String()
    key = fields.String()
    action = fields.String(
        validate=validate.OneOf(("created", "updated", "unchanged", "deleted", "rejected"))
    )
    etag = fields.String(allow_none=True)


class AuditEntrySchema(Schema):
    """One write: who, when, what, with which result."""

    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    agency = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    action = fields.String()
    target = fields.String()
    result = fields.String()
    details = fields.Dict(keys=fields.String())


class AuditPageSchema(Schema):
    """A page of the audit log, oldest first, and where the next page starts."""

    items = fields.List(fields.Nested(AuditEntrySchema))
    next_after = fields.Integer(allow_none=True)
