"""Build the query strings of facet, filter-removal and paging links from the current ones."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

PAGING = ("cursor", "page")


def _pairs(args: MultiDict) -> list[tuple[str, str]]:
    """Return the non-empty (name, value) pairs of args."""
    return [(k, v) for k, v in args.items(multi=True) if v.strip()]


def query_with(
    args: MultiDict,
    add: Iterable[tuple[str, str]] = (),
    remove: Iterable[tuple[str, str | None]] = (),
    keep_paging: bool = False,
) -> str:
    """Return args as a query string with pairs added and removed (a None value removes all)."""
    removed = list(remove)
    pairs = []
    for name, value in _pairs(args):
        if not keep_paging and name in PAGING:
            continue
        if any(
            name == r_name and (r_value is None or value == r_value) for r_name, r_value in removed
        ):
            continue
        pairs.append((name, value))
    for pair in add:
        if pair not in pairs:
            pairs.append(pair)
    return "?" + urlencode(pairs) if pairs else ""


def next_page_query(args: MultiDict, cursor: str, page: int) -> str:
    """Return the query string of the page after this one."""
    pairs = [(k, v) for k, v in _pairs(args) if k not in PAGING]
    return "?" + urlencode([*pairs, ("cursor", cursor), ("page", str(page + 1))])


def language_query(args: MultiDict, lang: str) -> str:
    """Return the current query string with the language switched."""
    pairs = [(k, v) for k, v in _pairs(args) if k != "lang"]
    return "?" + urlencode([*pairs, ("lang", lang)])
