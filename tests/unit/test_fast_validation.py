"""The fast loader agrees with marshmallow: same output when it accepts, never accepts more."""

from __future__ import annotations

import copy
import json
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from importers.base import UnreadableFile
from importers.registry import detect_format, get_importer
from schemas.aggregate import WORK_AGGREGATE
from schemas.fast import load_aggregate, try_load_aggregate
from schemas.fields import MAX_IDENTIFIER_LENGTH, MAX_TITLE_LENGTH

ROOT = Path(__file__).resolve().parents[2]
DATA_ROOTS = (ROOT / "tests" / "data", ROOT / "samples")
PER_FILE = 1000  # the first records of each large sample file
COMPLETE = json.loads((ROOT / "tests/data/aggregates/complete.json").read_text("utf-8"))


def _files() -> list[Path]:
    """Return every importable file under tests/data and samples/."""
    suffixes = {".csv", ".xml", ".xlsx", ".jsonl"}
    return [
        path
        for root in DATA_ROOTS
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix.lower() in suffixes
    ]


def _marshmallow(data: Any) -> dict[str, Any] | None:
    """Return marshmallow's load of data, or None when it refuses it."""
    try:
        return WORK_AGGREGATE.load(copy.deepcopy(data))
    except ValidationError:
        return None


def _assert_in_step(data: Any, where: str) -> bool:
    """Check fast and marshmallow agree on one input; return whether the fast path accepted."""
    fast = try_load_aggregate(copy.deepcopy(data))
    slow = _marshmallow(data)
    if slow is None:
        assert fast is None, f"{where}: the fast path accepted what marshmallow refuses"
    elif fast is not None:
        assert fast == slow, f"{where}: the fast path loaded different data"
    return fast is not None


def test_fast_loader_matches_marshmallow_on_every_file() -> None:
    checked_files = checked = 0
    for path in _files():
        try:
            records = get_importer(detect_format(path))().records(path)
            sample = [r for r in islice(records, PER_FILE) if r.data]
        except UnreadableFile:
            continue  # refused whole by its importer: nothing reaches validation
        accepted = [_assert_in_step(r.data, f"{path.name}:{r.locator}") for r in sample]
        valid = [r for r in sample if _marshmallow(r.data) is not None]
        assert sum(accepted) == len(valid), f"{path.name}: the fast path declined valid records"
        checked_files += 1
        checked += len(sample)
    assert checked_files >= 25 and checked >= 7_000


def test_fast_loader_keeps_the_complete_example_exactly() -> None:
    loaded = load_aggregate(copy.deepcopy(COMPLETE))
    assert loaded == WORK_AGGREGATE.load(copy.deepcopy(COMPLETE))
    assert loaded["licenses"][0]["territories"] == ["AR", "BO", "BR", "PY", "UY"]


@pytest.mark.parametrize(
    "patch",
    [
        {"work_type": "film"},
        {"year": True},
        {"year": "2020"},
        {"year": 1500},
        {"runtime_minutes": float("nan")},
        {"titles": [{"text": "   "}]},
        {"titles": [{"text": " " + "x" * MAX_TITLE_LENGTH}]},
        {"titles": [{"text": "ok", "colour": "red"}]},
        {"titles": ({"text": "a tuple of titles"},)},
        {"identifiers": [{"scheme": "br_cpb", "value": "B" + "1" * MAX_IDENTIFIER_LENGTH}]},
        {"identifiers": [{"scheme": "br_cpb", "value": "B20002633"}]},
        {"identifiers": [{"scheme": "br_cpb", "value": "B20002633", "verified": False}]},
        {"identifiers": [{"scheme": "eidr", "value": "10.5240/7791-8534-2C23-9030-8610-5"}] * 2},
        {"licenses": [{"media": [], "territories": ["BR"]}]},
        {"licenses": [{"media": ["svod"], "start": "2026-02-01", "end": "2026-01-01"}]},
        {"licenses": [{"media": ["svod"], "terms": {"a": {"b": {"c": {"d": {"e": {}}}}}}}]},
        {"countries_of_origin": "BR"},
        {"attributes": []},
        {"parent": None},
        {"parent": {"scheme": "br_cpb", "value": "B2000263300000"}},
        {"colour": "red"},
    ],
)
def test_edge_cases_stay_in_step(patch: dict[str, Any]) -> None:
    _assert_in_step({"titles": [{"text": "Título"}], **patch}, repr(patch))


def test_refused_input_gets_marshmallows_errors() -> None:
    with pytest.raises(ValidationError) as fast_error:
        load_aggregate({"titles": [{"text": "x"}], "year": 1500})
    with pytest.raises(ValidationError) as slow_error:
        WORK_AGGREGATE.load({"titles": [{"text": "x"}], "year": 1500})
    assert fast_error.value.messages == slow_error.value.messages


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["BR", " pt-BR ", "movie", "director", "2024-01-31", "B2000263300000", ""]),
)
_PATHS = [
    ("work_type",),
    ("year",),
    ("runtime_minutes",),
    ("original_languages", 0),
    ("countries_of_origin", 1),
    ("titles", 0, "text"),
    ("titles", 1, "kind"),
    ("identifiers", 0, "value"),
    ("identifiers", 1, "scheme"),
    ("contributions", 0, "role"),
    ("contributions", 0, "party", "kind"),
    ("contributions", 1, "credit_order"),
    ("rights", 0, "share_pct"),
    ("rights", 0, "valid_from"),
    ("rights", 0, "territories", 0),
    ("licenses", 0, "media", 0),
    ("licenses", 0, "exclusive"),
    ("licenses", 0, "end"),
    ("licenses", 0, "languages", 1),
    ("coproductions", 0, "country"),
    ("coproductions", 1, "share_pct"),
]


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    """Replace the value at path (a missing key is added)."""
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(_PATHS), _SCALARS), min_size=1, max_size=3))
def test_random_changes_to_a_valid_aggregate_stay_in_step(changes: list) -> None:
    data = copy.deepcopy(COMPLETE)
    for path, value in changes:
        _set(data, path, value)
    _assert_in_step(data, repr(changes))


def _party(name: str) -> dict[str, Any]:
    """Return a contribution crediting a person of that name."""
    return {"party": {"kind": "person", "name": name}, "role": "director"}


@pytest.mark.parametrize(
    "patch",
    [
        {"attributes": {"uf": "DF", "ano": 2023, "nota": 7.5, "sim": True, "nada": None}},
        {"attributes": {"município": "BRASÍLIA", "k": '\x01"\\'}},
        {"attributes": {"lone": "\ud800"}},
        {"attributes": {"\udc00": "lone in a key"}},
        {"attributes": {"k" * 201: "a key over the limit"}},
        {"attributes": {"k" * 200: "a key at the limit"}},
        {"attributes": {"big": "x" * (64 * 1024)}},
        {"attributes": {"escaped": "\x01" * 11_000}},
        {"attributes": {"escaped": "\x01" * 10_000}},
        {"attributes": {"n": float("inf"), "m": float("nan")}},
        {"attributes": {"list": [1, 2], "object": {"a": {"b": 1}}}},
        {"attributes": {1: "a number as a key"}},
        {"contributions": [_party("ﷺ" * 40)]},
        {"contributions": [_party("ß" * 300)]},
        {"contributions": [_party("  Ação  Ñandú ")]},
        {"contributions": [_party("x" * 500)]},
        {"contributions": [_party(" " * 3)]},
    ],
    ids=lambda patch: repr(patch)[:60],
)
def test_free_form_objects_and_folded_names_stay_in_step(patch: dict[str, Any]) -> None:
    _assert_in_step({"titles": [{"text": "Título"}], **patch}, repr(patch)[:200])
