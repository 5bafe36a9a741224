"""The search page: a form, facets as links, counts and cursor paging."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from registry.errors import ValidationFailed
from registry.services.search import search_works
from registry.web.blueprint import bp, registry
from registry.web.forms import WORK_SEARCH_FORM, FormErrors, field_messages, parse
from registry.web.links import next_page_query, query_with
from registry.web.reads import key_identifiers
from registry.web.shapes import plain

FACET_LIMIT = 10
SORT_CHOICES = ("relevance", "title", "year", "-year")


def facet_links(facets: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Return each facet's top values with the query string that filters on them."""
    out = []
    for name in ("country", "agency", "work_type", "decade", "media"):
        buckets = facets.get(name) or []
        links = []
        for bucket in buckets[:FACET_LIMIT]:
            value = bucket["value"]
            if name == "decade":
                decade = int(value)
                query = query_with(
                    request.args,
                    add=[("year_from", str(decade)), ("year_to", str(decade + 9))],
                    remove=[("year_from", None), ("year_to", None)],
                )
            elif name == "media":
                query = query_with(request.args, add=[("media", value)], remove=[("media", None)])
            else:
                query = query_with(request.args, add=[(name, str(value))])
            links.append({"value": value, "count": bucket["count"], "query": query})
        if links:
            out.append({"name": name, "links": links})
    return out


def active_filters() -> list[dict[str, Any]]:
    """Return each filter in use with the query string that removes it."""
    out = []
    for name, value in request.args.items(multi=True):
        if name in ("q", "cursor", "page", "lang", "sort", "size") or not value.strip():
            continue
        out.append(
            {
                "name": name,
                "value": value,
                "query": query_with(request.args, remove=[(name, value)]),
            }
        )
    return out


@bp.get("/")
@bp.get("/search")
def search():  # noqa: ANN201
    """Search works by text and filters and show a page of results."""
    try:
        params = parse(WORK_SEARCH_FORM, request.args)
    except FormErrors as exc:
        return render_template("search.html", form=request.args, errors=exc.errors), 422
    page = params.pop("page")
    params["facets"] = True
    try:
        result = plain("WorkSearchSchema", search_works(registry(), params))
    except ValidationFailed as exc:
        errors = field_messages(exc.errors or {"cursor": [exc.message]})
        return render_template("search.html", form=request.args, errors=errors), 422
    ids = [item.get("id") or item.get("work_id") for item in result["items"]]
    with registry().sessions() as session:
        identifiers = key_identifiers(session, ids)
    next_query = (
        next_page_query(request.args, result["next_cursor"], page)
        if result["next_cursor"]
        else None
    )
    return render_template(
        "search.html",
        form=request.args,
        errors={},
        result=result,
        ids=ids,
        identifiers=identifiers,
        facets=facet_links(result["facets"]),
        filters=active_filters(),
        page=page,
        first_index=(page - 1) * params["size"] + 1,
        next_query=next_query,
        first_query=query_with(request.args) if page > 1 else None,
        sorts=SORT_CHOICES,
    )
