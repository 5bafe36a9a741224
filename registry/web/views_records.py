"""Party search, the party page and import reports."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from registry.services.parties_read import party_detail
from registry.services.party_search import find_parties
from registry.web.account import signed_in
from registry.web.blueprint import bp, error_page, registry
from registry.web.forms import PARTY_SEARCH_FORM, FormErrors, parse
from registry.web.links import query_with
from registry.web.shapes import plain

PARTIES_PER_PAGE = 20
REJECTIONS_PER_PAGE = 25
MAX_REPORT_PAGE = 100_000
IN_PROGRESS = ("queued", "running")


@bp.get("/parties")
def parties():  # noqa: ANN201
    """Find people and organisations by name or identifier."""
    try:
        args = parse(PARTY_SEARCH_FORM, request.args)
    except FormErrors as exc:
        return render_template("parties.html", form=request.args, errors=exc.errors), 422
    page = args["page"]
    result = None
    if args.get("q"):
        offset = (page - 1) * PARTIES_PER_PAGE
        result = plain(
            "PartySearchSchema", find_parties(registry(), args["q"], PARTIES_PER_PAGE, offset)
        )
    has_next = bool(result) and result["total"] > page * PARTIES_PER_PAGE
    return render_template(
        "parties.html",
        form=request.args,
        errors={},
        result=result,
        page=page,
        next_query=query_with(request.args, add=[("page", str(page + 1))]) if has_next else None,
        previous_query=(
            query_with(request.args, add=[("page", str(page - 1))]) if page > 1 else None
        ),
    )


@bp.get("/parties/<int:party_id>")
def party(party_id: int):  # noqa: ANN201
    """Show a party's names, identifiers, works, rights and licences."""
    with registry().sessions() as session:
        detail = plain("PartyDetailSchema", party_detail(session, party_id))
    return render_template("party.html", party=detail)


@bp.get("/imports/<int:batch_id>")
def import_batch(batch_id: int):  # noqa: ANN201
    """Show an import's progress and counts, and to its agency a page of its rejections."""
    raw_page = request.args.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) <= MAX_REPORT_PAGE else None
    if page is None:
        return error_page(422, _("Check your request"), _("Enter a page number."))
    from registry.services.batches import batch_report

    offset = (page - 1) * REJECTIONS_PER_PAGE
    with registry().sessions() as session:
        report = batch_report(session, batch_id, signed_in(), offset, REJECTIONS_PER_PAGE)
    total = report.get("rejections_total") or 0
    pages = max(1, -(-total // REJECTIONS_PER_PAGE))
    has_next = page < pages and report.get("rejections") is not None
    return render_template(
        "import.html",
        report=report,
        in_progress=report["status"] in IN_PROGRESS,
        page=page,
        pages=pages,
        first_index=offset + 1,
        next_query=query_with(request.args, add=[("page", str(page + 1))]) if has_next else None,
        previous_query=(
            query_with(request.args, add=[("page", str(page - 1))]) if page > 1 else None
        ),
    )
