"""Submissions: agencies post files, workers import them, the report shows progress."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, request
from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from registry.api.auth_schemas import BEARER, IMPORT_BODY, BatchSchema, ErrorSchema
from registry.api.blueprint import ID, Blueprint
from registry.auth import current_principal, require_role
from registry.auth.principal import require_principal
from registry.errors import PayloadTooLarge, ValidationFailed
from registry.services import jobs
from registry.services.batches import batch_report

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/api/v1",
    description="Submit files for import and follow their batches.",
)
FORM_FIELDS = ("format", "dry_run", "agency")


class SubmitArgs(Schema):
    """Query parameters of a submission (also accepted as multipart form fields)."""

    class Meta:
        unknown = RAISE

    format = fields.String(load_default="auto", validate=validate.Length(min=1, max=64))
    dry_run = fields.Boolean(load_default=False)
    agency = fields.String(validate=validate.Length(min=1, max=32))
    file_name = fields.String(validate=validate.Length(min=1, max=300))


class ReportArgs(Schema):
    """Paging of the rejections in a report."""

    class Meta:
        unknown = RAISE

    rejections_offset = fields.Integer(load_default=0, validate=validate.Range(0, 10**9))
    rejections_limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


@blp.route("/imports")
class Imports(MethodView):
    """Submit a file: multipart `file` or the raw body."""

    @require_role("submitter")
    @blp.doc(security=BEARER, requestBody=IMPORT_BODY)
    @blp.arguments(SubmitArgs, location="query", as_kwargs=False)
    @blp.response(202, BatchSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="The file is another agency's")
    @blp.alt_response(413, schema=ErrorSchema, description="Larger than the upload limit")
    @blp.alt_response(415, schema=ErrorSchema, description="No format the registry reads")
    def post(self, args: dict):  # noqa: ANN201
        """Queue a file for import; 202 with the batch and its Location."""
        registry = current_app.extensions["registry"]
        principal = require_principal()
        limit = registry.settings.max_upload_bytes
        if request.content_length is not None and request.content_length > limit + (1 << 20):
            raise PayloadTooLarge(f"the body is larger than the limit of {limit} bytes")
        request.max_content_length = limit + (1 << 20)
        path, name, args = _receive(registry, args)
        batch = jobs.submit(
            registry, principal, path, name, args["format"], args["dry_run"], args.get("agency")
        )
        with registry.sessions() as session:
            report = batch_report(session, batch.id, principal)
        return report, 202, {"Location": f"/api/v1/imports/{batch.id}"}


def _receive(registry, args: dict) -> tuple[Path, str, dict]:  # noqa: ANN001
    """Spool the submitted file to disk and merge form fields into the arguments."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed("no file", {"file": ["a multipart field named file"]})
        merged = dict(args)
        form = {key: request.form[key] for key in FORM_FIELDS if key in request.form}
        try:
            loaded = SubmitArgs().load(form)
        except ValidationError as exc:
            raise ValidationFailed("invalid form fields", exc.messages) from exc
        merged.update({key: loaded[key] for key in form})
        name = Path(upload.filename or "upload").name
        return jobs.spool(registry, upload.stream, Path(name).suffix), name, merged
    name = args.get("file_name") or "upload"
    return jobs.spool(registry, request.stream, Path(name).suffix), name, args


@blp.route(f"/imports/<{ID}:batch_id>")
class ImportReport(MethodView):
    """The report of one import batch."""

    @blp.arguments(ReportArgs, location="query", as_kwargs=False)
    @blp.response(200, BatchSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such batch")
    def get(self, args: dict, batch_id: int):  # noqa: ANN201
        """Return the status, counts and (to its agency) the rejections of a batch."""
        with current_app.extensions["registry"].sessions() as session:
            return batch_report(
                session,
                batch_id,
                current_principal(),
                args["rejections_offset"],
                args["rejections_limit"],
            )
