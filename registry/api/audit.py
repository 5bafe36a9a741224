"""The audit log: administrators read all of it, agencies their own entries."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE, Schema, fields, validate

from registry.api.auth_schemas import BEARER, AuditPageSchema, ErrorSchema
from registry.api.blueprint import Blueprint
from registry.auth import Forbidden, require_principal
from registry.services.audit import entry_dict, list_entries

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Read the audit log.")


class AuditArgs(Schema):
    """Filters and paging of the audit log."""

    class Meta:
        unknown = RAISE

    agency = fields.String(validate=validate.Length(min=1, max=32))
    since = fields.AwareDateTime(default_timezone=None)
    after = fields.Integer(validate=validate.Range(0, 2**31 - 1))
    size = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


@blp.route("/audit")
class Audit(MethodView):
    """Every write, oldest first."""

    @blp.doc(security=BEARER)
    @blp.arguments(AuditArgs, location="query", as_kwargs=False)
    @blp.response(200, AuditPageSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Another agency's entries")
    def get(self, args: dict):  # noqa: ANN201
        """Return audit entries: all for admins, the caller's agency's for others."""
        principal = require_principal()
        agency = args.get("agency")
        if not principal.is_admin:
            if agency not in (None, principal.agency):
                raise Forbidden(f"a client of {principal.agency} reads only its own entries")
            agency = principal.agency
        with current_app.extensions["registry"].sessions() as session:
            rows = list_entries(session, agency, args.get("since"), args.get("after"), args["size"])
            items = [entry_dict(row) for row in rows]
        next_after = items[-1]["id"] if len(items) == args["size"] else None
        return {"items": items, "next_after": next_after}
