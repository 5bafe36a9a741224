"""Sign-in with an agency token, sign-out and file submission that follows the import."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry.errors import RegistryError
from registry.web.account import check_csrf, sign_in, sign_out, signed_in
from registry.web.blueprint import bp, error_page, registry

MAX_FORMAT_NAME = 64
DEFAULT_UPLOAD_LIMIT = 512 * 1024 * 1024


def upload_limit(registry_) -> int:  # noqa: ANN001
    """Return the largest file the registry accepts, in bytes (the submissions setting)."""
    return int(getattr(registry_.settings, "max_upload_bytes", DEFAULT_UPLOAD_LIMIT))


def _safe_next(target: str | None) -> str:
    """Return a local path to go to after signing in (never another site)."""
    if not target:
        return url_for("web.upload")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("web.upload")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in_page():  # noqa: ANN201
    """Ask for a token once and keep it in the session."""
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("sign_in.html", errors={}, next_url=next_url)
    check_csrf()
    if sign_in(request.form.get("token", "")) is None:
        errors = {"token": _("This token is not valid, or it was revoked.")}
        return render_template("sign_in.html", errors=errors, next_url=next_url), 422
    return redirect(next_url, 303)


@bp.post("/sign-out")
def sign_out_page():  # noqa: ANN201
    """Forget the token and go back to search."""
    check_csrf()
    sign_out()
    return redirect(url_for("web.search"), 303)


def _formats() -> list[str]:
    """Return the names of the formats the registry reads."""
    from importers.registry import importers

    return sorted(importers())


@bp.route("/upload", methods=["GET", "POST"])
def upload():  # noqa: ANN201
    """Submit a file for import through the same queue as POST /api/v1/imports."""
    principal = signed_in()
    if principal is None:
        return redirect(url_for("web.sign_in_page", next=url_for("web.upload")), 303)
    if not principal.has_role("submitter"):
        return error_page(403, _("Not allowed"), _("Your token may read, but not submit files."))
    formats = _formats()
    if request.method == "GET":
        return render_template("upload.html", errors={}, formats=formats, form={})
    registry_ = registry()
    request.max_content_length = upload_limit(registry_) + (1 << 20)
    check_csrf()
    errors: dict[str, str] = {}
    upload_file = request.files.get("file")
    source_format = request.form.get("format", "auto")[:MAX_FORMAT_NAME]
    if upload_file is None or not upload_file.filename:
        errors["file"] = _("Choose a file to send.")
    if source_format != "auto" and source_format not in formats:
        errors["format"] = _("Choose a format from the list.")
    if errors:
        return render_template(
            "upload.html", errors=errors, formats=formats, form=request.form
        ), 422
    from registry.services import jobs

    name = Path(upload_file.filename).name
    try:
        path = jobs.spool(registry_, upload_file.stream, Path(name).suffix)
        batch = jobs.submit(
            registry_, principal, path, name, source_format, request.form.get("dry_run") == "true"
        )
    except RegistryError as exc:
        messages = {
            413: _("The file is larger than the registry accepts."),
            415: _("The registry cannot read this file in the chosen format."),
            403: _("Your token may not submit this file: it belongs to another agency."),
        }
        errors["file"] = str(messages.get(exc.status, _("The file could not be submitted.")))
        status = exc.status if exc.status in messages else 422
        return render_template(
            "upload.html", errors=errors, formats=formats, form=request.form
        ), status
    return redirect(url_for("web.import_batch", batch_id=batch.id), 303)
