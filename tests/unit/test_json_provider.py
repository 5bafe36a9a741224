"""API responses serialise dates as ISO 8601 and decimals as exact strings."""

from __future__ import annotations

import datetime as dt
import decimal
import json

import pytest
from flask import Flask

from registry.api.jsonprovider import OrjsonProvider, dump_bytes


def test_dates_decimals_and_sets():
    body = json.loads(
        dump_bytes(
            {
                "day": dt.date(2026, 6, 1),
                "at": dt.datetime(2026, 6, 1, 12, 30, tzinfo=dt.UTC),
                "share": decimal.Decimal("33.333"),
                "codes": frozenset({"AR"}),
                1: "non-string key",
            }
        )
    )
    assert body == {
        "day": "2026-06-01",
        "at": "2026-06-01T12:30:00+00:00",
        "share": "33.333",
        "codes": ["AR"],
        "1": "non-string key",
    }


def test_unknown_types_are_refused():
    with pytest.raises(TypeError, match="object"):
        dump_bytes({"x": object()})


def test_flask_responses_use_it():
    app = Flask("t")
    app.json = OrjsonProvider(app)
    with app.app_context():
        response = app.json.response({"b": 1, "a": [dt.date(2026, 1, 2)]})
    assert response.mimetype == "application/json"
    assert response.get_data() == b'{"b":1,"a":["2026-01-02"]}\n'
    assert app.json.loads(app.json.dumps({"x": 1})) == {"x": 1}
