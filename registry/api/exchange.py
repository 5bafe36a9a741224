"""Exchange resources: changes since a harvest, and import batch reports."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE

from registry.api.args import ChangesArgs
from registry.api.blueprint import ID, Blueprint
from registry.errors import NotFound
from registry.models import ImportBatch
from registry.models.base import as_utc
from registry.services.changes import changed_works
from registry.services.search import cursor_secret
from schemas.responses import ChangesSchema, ErrorSchema, ImportReportSchema

blp = Blueprint(
    "exchange",
    __name__,
    url_prefix="/api/v1",
    description="Harvest changes and read import reports.",
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


@blp.route(f"/imports/<{ID}:batch_id>")
class ImportReport(MethodView):
    """The report of one import batch."""

    @blp.response(200, ImportReportSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such import batch")
    def get(self, batch_id: int):  # noqa: ANN201
        """Return the counts and rejections of an import batch."""
        with current_app.extensions["registry"].sessions() as session:
            batch = session.get(ImportBatch, batch_id)
            if batch is None:
                raise NotFound(f"no import batch with id {batch_id}")
            counts = {
                k: getattr(batch, f"{k}_count")
                for k in ("read", "created", "updated", "unchanged", "deleted", "rejected")
            }
            return {
                "id": batch.id,
                "agency": batch.agency_code,
                "format": batch.source_format,
                "file": batch.file_name,
                "sha256": batch.sha256,
                "status": batch.status,
                "message": batch.message,
                "dry_run": batch.dry_run,
                "counts": counts,
                "started_at": as_utc(batch.started_at).isoformat(),
                "finished_at": as_utc(batch.finished_at).isoformat() if batch.finished_at else None,
                "rejections": [
                    {"locator": r.locator, "raw": r.raw_text, "errors": r.errors}
                    for r in batch.rejections
                ],
            }
