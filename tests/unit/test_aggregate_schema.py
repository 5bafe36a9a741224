"""The shared schema: stable round trips, field-level errors, no silent coercion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from marshmallow import ValidationError

from importers.base import UnreadableFile
from importers.registry import detect_format, get_importer
from schemas.aggregate import WORK_AGGREGATE, flatten_errors
from schemas.docs import render_markdown

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = DATA.parents[1]


def _load_errors(data: dict) -> dict[str, list[str]]:
    """Return the flattened errors of loading data."""
    with pytest.raises(ValidationError) as info:
        WORK_AGGREGATE.load(data)
    return flatten_errors(info.value.messages)


def _examples() -> list[tuple[str, dict]]:
    """Return every aggregate that the importers make from files under tests/data."""
    examples = [
        (p.name, json.loads(p.read_text("utf-8")))
        for p in sorted((DATA / "aggregates").glob("*.json"))
    ]
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".csv", ".xml", ".xlsx", ".jsonl"}:
            continue
        if "hostile" in path.parts or "broken" in path.name:
            continue
        try:
            importer = get_importer(detect_format(path))
            records = list(importer().records(path))
        except UnreadableFile:
            continue
        for record in records:
            if record.data and not record.errors and record.action == "upsert":
                examples.append((f"{path.relative_to(DATA)}:{record.locator}", record.data))
    return examples


def _example_id(value: object) -> str:
    """Name a parametrized example by where it came from."""
    return value if isinstance(value, str) else ""


def test_examples_exist():
    assert len(_examples()) >= 1


@pytest.mark.parametrize(
    ("where", "data"), _examples(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_dump_of_load_is_stable(where, data):
    try:
        loaded = WORK_AGGREGATE.load(data)
    except ValidationError:
        pytest.skip(f"{where} is refused by validation (tested by its importer)")
    dumped = WORK_AGGREGATE.dump(loaded)
    again = WORK_AGGREGATE.dump(WORK_AGGREGATE.load(dumped))
    assert again == dumped
    assert json.loads(json.dumps(dumped)) == dumped


def test_complete_example_normalises():
    data = json.loads((DATA / "aggregates" / "complete.json").read_text("utf-8"))
    out = WORK_AGGREGATE.dump(WORK_AGGREGATE.load(data))
    assert out["countries_of_origin"] == ["BR", "DE"]
    assert out["identifiers"][1] == {
        "scheme": "eidr",
        "value": "10.5240/7791-8534-2C23-9030-8610-5",
    }
    assert out["contributions"][0]["party"]["identifiers"][0]["value"] == "11.222.333/0001-81"
    rights = out["rights"][0]
    assert "DE" not in rights["territories"] and "BR" in rights["territories"]
    assert rights["territory_expression"].startswith("WORLD")
    lic = out["licenses"][0]
    assert lic["territories"] == ["AR", "BO", "BR", "PY", "UY"]
    assert lic["languages"] == ["es", "pt-BR"]


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"work_type": "film"}, "work_type"),
        ({"countries_of_origin": ["JJ"]}, "countries_of_origin.0"),
        (
            {"identifiers": [{"scheme": "eidr", "value": "10.5240/7791-8534-2C23-9030-8610-4"}]},
            "identifiers.0.value",
        ),
        ({"identifiers": [{"scheme": "br_cpb", "value": "B20002633"}]}, "identifiers.0.value"),
        ({"licenses": [{"media": ["betamax"], "territories": ["BR"]}]}, "licenses.0.media.0"),
        ({"licenses": [{"media": ["svod"], "territories": ["JJ"]}]}, "licenses.0.territories"),
        ({"licenses": [{"media": ["svod"], "languages": ["XYZ"]}]}, "licenses.0.languages.0"),
        (
            {"licenses": [{"media": ["svod"], "start": "2026-02-01", "end": "2026-01-01"}]},
            "licenses.0.end",
        ),
        (
            {"rights": [{"holder": {"kind": "robot", "name": "X"}, "right_type": "economic"}]},
            "rights.0.holder.kind",
        ),
        (
            {
                "rights": [
                    {
                        "holder": {"kind": "person", "name": "X"},
                        "right_type": "economic",
                        "share_pct": 140,
                    }
                ]
            },
            "rights.0.share_pct",
        ),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_input_gives_field_errors(patch, path):
    data = {"titles": [{"text": "Título"}], **patch}
    errors = _load_errors(data)
    assert path in errors, errors
    assert all(isinstance(m, str) and m for m in errors[path])


def test_work_needs_identifier_or_title():
    assert "identifiers" in _load_errors({"year": 2000})


def test_schema_docs_are_up_to_date():
    example = json.loads((DATA / "aggregates" / "complete.json").read_text("utf-8"))
    committed = (ROOT / "docs" / "schema.md").read_text("utf-8")
    assert committed == render_markdown(example), "run `python -m schemas.docs`"


@pytest.mark.parametrize(
    ("where", "data"), _examples(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_fast_canonical_dump_matches_the_schema_dump(where, data):
    from registry.services.records import canonical_dump

    try:
        loaded = WORK_AGGREGATE.load(data)
    except ValidationError:
        pytest.skip(f"{where} is refused by validation")
    assert canonical_dump(loaded) == WORK_AGGREGATE.dump(loaded)
