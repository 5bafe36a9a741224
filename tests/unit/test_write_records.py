"""Fingerprints of a loaded aggregate and of its canonical dump are the same."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from registry.services.records import canonical_dump, canonical_json, fingerprint
from schemas.aggregate import WORK_AGGREGATE

COMPLETE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "aggregates" / "complete.json").read_text(
        "utf-8"
    )
)


@pytest.mark.parametrize("authoritative", [True, False])
def test_a_loaded_aggregate_and_its_dump_share_one_fingerprint(authoritative: bool) -> None:
    loaded = WORK_AGGREGATE.load(copy.deepcopy(COMPLETE))
    assert isinstance(loaded["rights"][0]["valid_from"], date)
    dumped = canonical_dump(loaded)
    assert dumped["rights"][0]["valid_from"] == "2021-01-01"
    assert fingerprint(loaded, authoritative) == fingerprint(dumped, authoritative)


def test_fingerprints_tell_statements_and_authority_apart() -> None:
    loaded = WORK_AGGREGATE.load(copy.deepcopy(COMPLETE))
    other = WORK_AGGREGATE.load({**copy.deepcopy(COMPLETE), "year": 2019})
    assert fingerprint(loaded, True) != fingerprint(other, True)
    assert fingerprint(loaded, True) != fingerprint(loaded, False)


def test_values_json_cannot_hold_are_refused() -> None:
    with pytest.raises(TypeError):
        fingerprint({"titles": [], "terms": {"price": Decimal("1.00")}}, True)


def test_the_canonical_json_is_the_canonical_dump() -> None:
    loaded = WORK_AGGREGATE.load(copy.deepcopy(COMPLETE))
    text = canonical_json(loaded)
    assert text is not None and json.loads(text) == canonical_dump(loaded)


def test_the_canonical_json_leaves_what_needs_the_walk_to_the_writer() -> None:
    assert canonical_json({"terms": {"price": Decimal("1.00")}}) is None
    dropped = {"rights": [{"territories": ["BR"], "excluded_territories": ["AR"]}]}
    assert canonical_json(dropped) is None
    assert canonical_dump(dropped) == {"rights": [{"territories": ["BR"]}]}
