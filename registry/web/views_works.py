"""The work page and its availability checker."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import redirect, render_template, request, url_for

from registry.matching.decisions import matches_of
from registry.services.availability import availability
from registry.services.read import work_detail
from registry.web.blueprint import bp, registry
from registry.web.forms import AVAILABILITY_FORM, FormErrors, parse
from registry.web.grouping import grouped_work
from registry.web.i18n import countries_sorted
from registry.web.shapes import plain
from registry.web.timeline import build_timeline
from schemas.vocab import MEDIA


def conflicting_ids(conflicts: list[dict[str, Any]]) -> tuple[set[int], set[int]]:
    """Return the ids of licences and of rights named by any conflict."""
    licences = {i for c in conflicts if c["type"] == "exclusive_overlap" for i in c["licenses"]}
    rights = {i for c in conflicts if c["type"] == "shares_over_100" for i in c["rights"]}
    return licences, rights


def linked_records(links: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the works linked into this one and the candidates awaiting review, with scores."""
    survivor = links["work_id"]
    units = {m["work_id"] for m in links["members"]}
    linked = [
        {
            "work_id": m["work_id"],
            "agencies": m["agencies"],
            "probability": (m.get("link") or {}).get("probability"),
            "decided_by": (m.get("link") or {}).get("decided_by"),
        }
        for m in links["members"]
        if m["work_id"] != survivor
    ]
    candidates = [
        {
            "work_id": p["work_b"] if p["work_a"] in units else p["work_a"],
            "probability": p.get("probability"),
        }
        for p in links["candidates"]
    ]
    return linked, candidates


def _merged_into(detail: dict[str, Any]) -> int | None:
    """Return the surviving work of an absorbed one, if the detail names it."""
    target = detail.get("merged_into")
    return target if isinstance(target, int) and target != detail.get("id") else None


@bp.get("/works/<int:work_id>")
def work(work_id: int):  # noqa: ANN201
    """Show a work's whole rights picture with the source of every fact."""
    with registry().sessions() as session:
        detail = work_detail(session, work_id)
        if (survivor := _merged_into(detail)) is not None:
            return redirect(url_for("web.work", work_id=survivor), 301)
        overview = plain("AvailabilitySchema", availability(session, work_id, None, None, None))
        linked, candidates = linked_records(matches_of(session, work_id))
    licence_conflicts, right_conflicts = conflicting_ids(overview["conflicts"])
    sources = {s["record_id"]: s for s in detail["sources"]}
    timeline = build_timeline(detail["licenses"], licence_conflicts, datetime.now(UTC).date())
    return render_template(
        "work.html",
        work=detail,
        conflicts=overview["conflicts"],
        licence_conflicts=licence_conflicts,
        right_conflicts=right_conflicts,
        timeline=timeline,
        sources=sources,
        facts=grouped_work(detail, sources),
        linked=linked,
        candidates=candidates,
    )


@bp.get("/works/<int:work_id>/availability")
def work_availability(work_id: int):  # noqa: ANN201
    """Answer whether the work may be exploited in a territory, medium and day."""
    with registry().sessions() as session:
        detail = work_detail(session, work_id)
        context = {
            "work": detail,
            "form": request.args,
            "errors": {},
            "answer": None,
            "countries": countries_sorted(),
            "media": MEDIA,
        }
        try:
            args = parse(AVAILABILITY_FORM, request.args)
        except FormErrors as exc:
            context["errors"] = exc.errors
            return render_template("availability.html", **context), 422
        if args:
            answer = plain(
                "AvailabilitySchema",
                availability(
                    session, work_id, args.get("territory"), args.get("media"), args.get("on")
                ),
            )
            parties = {
                lic["licensee"]["id"]: lic["licensee"]
                for lic in answer["licenses"]
                if lic["licensee"]
            }
            context["answer"] = answer
            context["exclusive_holders"] = [
                parties[pid] for pid in answer["exclusive_holder"] if pid in parties
            ]
            context["licence_conflicts"], context["right_conflicts"] = conflicting_ids(
                answer["conflicts"]
            )
            context["query"] = args
    return render_template("availability.html", **context)
