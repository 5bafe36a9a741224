"""The records of issue 15 through the whole import: rejected with the reason, batch completed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from registry.context import Registry
from registry.models import ImportBatch, Rejection, Work
from registry.services.imports import run_import
from schemas.fields import MAX_FREE_FORM_DEPTH, MAX_TITLE_LENGTH


def _line(key: str, work: dict[str, Any] | str) -> str:
    """Return one exchange line; a string work is inserted verbatim."""
    body = work if isinstance(work, str) else json.dumps(work)
    return f'{{"format": "av-registry-exchange/1", "key": "{key}", "work": {body}}}'


def _nested(levels: int) -> str:
    """Return a JSON object nested levels deep, as text."""
    return '{"a": ' * levels + "1" + "}" * levels


def test_hostile_records_are_rejected_and_the_rest_imported(
    registry: Registry, tmp_path: Path
) -> None:
    good = {"titles": [{"text": "Relatos salvajes"}]}
    lines = [
        _line("long-title", {"titles": [{"text": "T" * 40_000}]}),
        _line("deep-attributes", f'{{"titles": [{{"text": "x"}}], "attributes": {_nested(500)}}}'),
        _line(
            "deep-terms",
            {
                "titles": [{"text": "y"}],
                "licenses": [{"media": ["svod"], "terms": json.loads(_nested(300))}],
            },
        ),
        _line("huge-number", '{"titles": [{"text": "z"}], "year": ' + "9" * 5000 + "}"),
        _line("beyond-the-stack", '{"attributes": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        _line("good", good),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_import(registry, path, "exchange-jsonl")
    assert report.counts["created"] == 1
    assert report.counts["rejected"] == 5
    reasons = {r["locator"]: r["errors"] for r in report.rejections}
    assert reasons["line 1"] == {
        "titles.0.text": [f"longer than {MAX_TITLE_LENGTH} characters (40000 given)"]
    }
    deeper = f"nested deeper than {MAX_FREE_FORM_DEPTH} levels of objects and lists"
    assert reasons["line 2"] == {"attributes": [deeper]}
    assert reasons["line 3"] == {"licenses.0.terms": [deeper]}
    assert "4300 digits" in reasons["line 4"]["_line"][0]
    assert reasons["line 5"] == {"_line": ["JSON nested too deeply"]}
    with registry.sessions() as session:
        assert session.scalar(select(ImportBatch.status)) == "completed"
        assert session.scalar(select(func.count()).select_from(Rejection)) == 5
        assert session.scalar(select(func.count()).select_from(Work)) == 1


def test_a_record_with_every_text_at_its_limit_is_stored(registry: Registry) -> None:
    from schemas.fields import (
        MAX_IDENTIFIER_LENGTH,
        MAX_NAME_LENGTH,
        MAX_SCHEME_LENGTH,
        MAX_TEXT_LENGTH,
    )
    from tests.helpers import write_aggregates

    scheme = "proprietary:" + "n" * (MAX_SCHEME_LENGTH - len("proprietary:"))
    ident = {"scheme": scheme, "value": "v" * MAX_IDENTIFIER_LENGTH}
    party = {"kind": "organization", "name": "P" * MAX_NAME_LENGTH, "identifiers": [ident]}
    work = {
        "titles": [{"text": "T" * MAX_TITLE_LENGTH}],
        "identifiers": [ident],
        "contributions": [{"party": party, "role": "producer"}],
        "licenses": [
            {
                "media": ["svod"],
                "licensee": party,
                "territories": ["AR"],
                "territory_expression": "E" * MAX_TEXT_LENGTH,
                "external_id": "x" * MAX_IDENTIFIER_LENGTH,
                "terms": json.loads(_nested(MAX_FREE_FORM_DEPTH - 1)),
            }
        ],
    }
    (work_id,) = write_aggregates(registry, [("K" * 300, work)])
    with registry.sessions() as session:
        assert session.get(Work, work_id) is not None
