"""Fuzz the shared schema near its limits: only ValidationError, and the bulk loader agrees."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.aggregate import WORK_AGGREGATE
from schemas.fast import try_load_aggregate
from schemas.fields import (
    MAX_FREE_FORM_DEPTH,
    MAX_IDENTIFIER_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TITLE_LENGTH,
)
from tests.fuzz.test_importers_fuzz import FUZZ


def _around(limit: int) -> st.SearchStrategy[str]:
    """Return text of a length just under, at or over a limit, or short."""
    return st.sampled_from((1, limit - 1, limit, limit + 1)).flatmap(
        lambda n: st.sampled_from(("T", "ß", " ", "é")).map(lambda c: c * n)
    )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=MAX_FREE_FORM_DEPTH * 3,
)


def _nested(depth: int) -> Any:
    """Return objects nested depth levels."""
    value: Any = 1
    for _ in range(depth):
        value = {"k": value}
    return value


PARTY = st.fixed_dictionaries(
    {"kind": st.sampled_from(("person", "organization", "robot")), "name": _around(MAX_NAME_LENGTH)}
)
AGGREGATES = st.fixed_dictionaries(
    {"titles": st.lists(st.fixed_dictionaries({"text": _around(MAX_TITLE_LENGTH)}), max_size=2)},
    optional={
        "identifiers": st.lists(
            st.fixed_dictionaries(
                {
                    "scheme": st.sampled_from(("proprietary:x", "isan", "eidr", "")),
                    "value": _around(MAX_IDENTIFIER_LENGTH),
                }
            ),
            max_size=2,
        ),
        "contributions": st.lists(
            st.fixed_dictionaries({"party": PARTY, "role": st.sampled_from(("director", "x"))}),
            max_size=2,
        ),
        "attributes": JSON
        | st.integers(MAX_FREE_FORM_DEPTH - 1, MAX_FREE_FORM_DEPTH + 2).map(_nested),
        "year": st.integers(1860, 2110) | st.just(10**30),
        "episode_count": st.integers(-2, 200_000),
        "licenses": st.lists(
            st.fixed_dictionaries(
                {"media": st.lists(st.sampled_from(("svod", "tv")), max_size=2)},
                optional={"terms": JSON, "external_id": _around(MAX_IDENTIFIER_LENGTH)},
            ),
            max_size=2,
        ),
    },
)


@FUZZ
@given(data=AGGREGATES)
def test_aggregates_near_the_limits_load_or_are_refused_the_same_way(data: dict) -> None:
    try:
        loaded = WORK_AGGREGATE.load(data)
    except ValidationError:
        loaded = None
    fast = try_load_aggregate(data)
    assert fast is None or fast == loaded
