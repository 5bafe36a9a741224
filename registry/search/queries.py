"""Build Elasticsearch query bodies as pure functions of validated search parameters."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import Any

from elasticsearch import ApiError

from schemas.identifiers import SCHEMES, normalize_identifier
from schemas.text import fold

FACETS = {
    "country": "countries_of_origin",
    "agency": "agencies",
    "work_type": "work_type",
    "decade": "decade",
    "media": "media",
}
SORTS = {
    "relevance": [{"_score": "desc"}, {"work_id": "asc"}],
    "year": [{"year": {"order": "asc", "missing": "_last"}}, {"work_id": "asc"}],
    "-year": [{"year": {"order": "desc", "missing": "_last"}}, {"work_id": "asc"}],
    "title": [{"title_sort": "asc"}, {"work_id": "asc"}],
}
TOTAL_HITS_LIMIT = 10_000
MAX_QUERY_LENGTH = 256
MAX_QUERY_WORDS = 32
CURSOR_MAC_BYTES = 16
SOURCE_FIELDS = [
    "work_id",
    "display_title",
    "work_type",
    "year",
    "countries_of_origin",
    "agencies",
    "incomplete",
    "version",
    "updated_at",
]


def identifier_candidates(text: str) -> list[str]:
    """Return the canonical forms the text takes under every scheme that accepts it."""
    return list(_identifier_candidates(text))


@lru_cache(maxsize=4096)
def _identifier_candidates(text: str) -> tuple[str, ...]:
    """Try every scheme on text (remembered: paging repeats the same text)."""
    values: set[str] = set()
    for scheme in SCHEMES:
        if scheme.startswith("proprietary"):
            continue
        try:
            values.add(normalize_identifier(scheme, text))
        except ValueError:
            continue
    values.add(text.strip())
    return tuple(sorted(values))


def folded_words(text: str) -> str:
    """Fold text and keep at most MAX_QUERY_WORDS words and MAX_QUERY_LENGTH characters."""
    words = fold(text).split()[:MAX_QUERY_WORDS]
    while len(" ".join(words)) > MAX_QUERY_LENGTH:
        words.pop()
    return " ".join(words)


def text_query(q: str) -> dict[str, Any]:
    """Match titles, people and companies forgivingly, and identifiers exactly."""
    folded = folded_words(q)
    should: list[dict[str, Any]] = [
        {"term": {"titles_folded.exact": {"value": folded, "boost": 8}}},
        {"match_phrase": {"titles_folded": {"query": folded, "boost": 4}}},
        {"match": {"titles_folded": {"query": folded, "operator": "and", "boost": 2}}},
        {
            "match": {
                "titles_folded": {
                    "query": folded,
                    "operator": "and",
                    "fuzziness": "AUTO",
                    "prefix_length": 1,
                }
            }
        },
        {"match_phrase": {"people_folded": {"query": folded, "boost": 2}}},
        {
            "match": {
                "people_folded": {
                    "query": folded,
                    "operator": "and",
                    "fuzziness": "AUTO",
                    "prefix_length": 1,
                }
            }
        },
        {"terms": {"identifier_values": identifier_candidates(q), "boost": 20}},
    ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _nested(path: str, clauses: list[dict[str, Any]]) -> dict[str, Any]:
    """Wrap clauses in a nested query over path."""
    return {"nested": {"path": path, "query": {"bool": {"filter": clauses}}}}


def _party_clause(path: str, id_field: str, name_field: str, value: str) -> dict[str, Any]:
    """Match a party by numeric id or by (folded) name."""
    if value.isdigit():
        return {"term": {f"{path}.{id_field}": int(value)}}
    return {"match": {f"{path}.{name_field}": {"query": folded_words(value), "operator": "and"}}}


def license_clause(p: dict[str, Any]) -> dict[str, Any] | None:
    """Return the nested licence filter for medium, territory, date and exclusivity."""
    clauses: list[dict[str, Any]] = []
    if p.get("media"):
        clauses.append({"term": {"licenses.media": p["media"]}})
    if p.get("territory"):
        clauses.append({"term": {"licenses.territories": p["territory"]}})
    if p.get("exclusive") is not None:
        clauses.append({"term": {"licenses.exclusive": p["exclusive"]}})
    on: date | None = p.get("on")
    if on is not None:
        day = on.isoformat()
        clauses.append({"range": {"licenses.start": {"lte": day}}})
        clauses.append(
            {
                "bool": {
                    "should": [
                        {"range": {"licenses.end": {"gte": day}}},
                        {"bool": {"must_not": {"exists": {"field": "licenses.end"}}}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
        clauses.append({"terms": {"licenses.status": ["active", "expired"]}})
    return _nested("licenses", clauses) if clauses else None


def filters(p: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the filter and must_not clauses of the search parameters."""
    clauses: list[dict[str, Any]] = [{"term": {"deleted": False}}]
    must_not: list[dict[str, Any]] = []
    for param, field in (
        ("country", "countries_of_origin"),
        ("agency", "agencies"),
        ("work_type", "work_type"),
        ("coproduction_country", "coproduction_countries"),
    ):
        if p.get(param):
            clauses.append({"terms": {field: p[param]}})
    if p.get("year_from") is not None or p.get("year_to") is not None:
        bounds = {
            k: v
            for k, v in (("gte", p.get("year_from")), ("lte", p.get("year_to")))
            if v is not None
        }
        clauses.append({"range": {"year": bounds}})
    if p.get("identifier"):
        clauses.append({"terms": {"identifier_values": identifier_candidates(p["identifier"])}})
    if p.get("party"):
        party = [_party_clause("contributors", "party_id", "name_folded", p["party"])]
        if p.get("role"):
            party.append({"term": {"contributors.role": p["role"]}})
        clauses.append(_nested("contributors", party))
    elif p.get("role"):
        clauses.append(_nested("contributors", [{"term": {"contributors.role": p["role"]}}]))
    if p.get("holder"):
        clauses.append(
            _nested("rights", [_party_clause("rights", "holder_id", "holder_folded", p["holder"])])
        )
    licence = license_clause(p)
    if licence is not None:
        (must_not if p.get("unlicensed") else clauses).append(licence)
    if p.get("coproduction") is not None:
        clauses.append({"term": {"is_coproduction": p["coproduction"]}})
    return clauses, must_not


def _b64(data: bytes) -> str:
    """Return unpadded URL-safe base64."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    """Decode unpadded URL-safe base64; raise ValueError on anything else."""
    try:
        return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("invalid cursor") from exc


def _mac(secret: bytes, payload: str) -> bytes:
    """Return the truncated HMAC-SHA256 of a cursor payload."""
    return hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:CURSOR_MAC_BYTES]


def encode_cursor(values: list[Any], secret: bytes, kind: str) -> str:
    """Encode the position after a page as an opaque cursor signed for one kind of listing."""
    payload = _b64(json.dumps([kind, values], separators=(",", ":")).encode())
    return f"{payload}.{_b64(_mac(secret, payload))}"


def decode_cursor(cursor: str, secret: bytes, kind: str) -> list[Any]:
    """Return the position a cursor holds; raise ValueError unless this registry made it for kind.

    The signature is checked before anything is parsed, so a forged or truncated cursor is
    refused without its contents ever reaching a parser or the search node.
    """
    payload, _, mac = cursor.partition(".")
    if not payload or not hmac.compare_digest(_unb64(mac), _mac(secret, payload)):
        raise ValueError("invalid cursor: not made by this registry")
    stored_kind, values = json.loads(_unb64(payload))
    if stored_kind != kind:
        raise ValueError("invalid cursor: made for another sort or listing")
    return values


@contextmanager
def refused_queries() -> Iterator[None]:
    """Turn the node's refusal of a query (HTTP 400) into ValueError: the caller's mistake."""
    try:
        yield
    except ApiError as exc:
        if exc.meta.status == 400:
            raise ValueError(f"the search node refused the query: {exc.message}") from exc
        raise


def sort_key(p: dict[str, Any]) -> str:
    """Return the sort a search uses: relevance with text, else title, unless asked."""
    return p.get("sort") or ("relevance" if p.get("q") else "title")


def build_work_search(p: dict[str, Any], search_after: list[Any] | None = None) -> dict[str, Any]:
    """Return the full search body for GET /works, after a position of a previous page."""
    clauses, must_not = filters(p)
    query: dict[str, Any] = {"bool": {"filter": clauses, "must_not": must_not}}
    if p.get("q"):
        query["bool"]["must"] = [text_query(p["q"])]
    body: dict[str, Any] = {
        "query": query,
        "sort": SORTS[sort_key(p)],
        "size": p.get("size", 20),
        "track_total_hits": True if p.get("facets") else TOTAL_HITS_LIMIT,
        "_source": SOURCE_FIELDS,
    }
    if search_after is not None:
        if len(search_after) != len(body["sort"]):
            raise ValueError("invalid cursor: made for another sort")
        body["search_after"] = search_after
    if p.get("facets"):
        body["aggs"] = {
            name: {"terms": {"field": field, "size": 100}} for name, field in FACETS.items()
        }
    return body


PARTY_NAME_FIELDS = {
    "contributors": ("contributors.name_folded", "contributors.party_id"),
    "rights": ("rights.holder_folded", "rights.holder_id"),
    "licenses": ("licenses.licensee_folded", "licenses.licensee_id"),
}


def _name_match(field: str, folded: str, fuzzy: bool) -> dict[str, Any]:
    """Match every word of a folded name, exactly or each allowed a typo or two."""
    match: dict[str, Any] = {"query": folded, "operator": "and"}
    if fuzzy:
        match.update(fuzziness="AUTO", prefix_length=1)
    return {"match": {field: match}}


def build_party_names(q: str, size: int, fuzzy: bool = False) -> dict[str, Any]:
    """Return a body counting, per party id, the works whose credits name q (or nearly)."""
    folded = folded_words(q)
    should = [
        {"nested": {"path": path, "query": _name_match(name, folded, fuzzy)}}
        for path, (name, _) in PARTY_NAME_FIELDS.items()
    ]
    aggs = {
        path: {
            "nested": {"path": path},
            "aggs": {
                "matching": {
                    "filter": _name_match(name, folded, fuzzy),
                    "aggs": {"ids": {"terms": {"field": id_field, "size": size}}},
                }
            },
        }
        for path, (name, id_field) in PARTY_NAME_FIELDS.items()
    }
    query = {"bool": {"filter": [{"term": {"deleted": False}}], "should": should}}
    query["bool"]["minimum_should_match"] = 1
    return {"size": 0, "track_total_hits": False, "query": query, "aggs": aggs}


def build_party_fuzzy(q: str, size: int) -> dict[str, Any]:
    """Return a body counting, per party id, the works whose credits match q approximately."""
    return build_party_names(q, size, fuzzy=True)
