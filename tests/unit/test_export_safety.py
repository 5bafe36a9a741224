"""Exports that are safe to open: CSV cells never run as formulas, JSONL lines never split."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from importers.exchange.cells import neutralise_formula, restore_formula
from importers.exchange.csv_template import ExchangeCsvImporter
from importers.exchange.envelope import build_line, parse_line
from importers.exchange.jsonl import ExchangeJsonlImporter
from registry.services.export import ExportedRecord, write_csv, write_jsonl
from schemas.aggregate import WORK_AGGREGATE

FORMULA_TITLES = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR")
HARMLESS = ("'=already quoted", "''+twice", "'plain", "plain", "a=b", "in\rside", "")


def _record(key: str, title: str) -> ExportedRecord:
    """Return an exported record whose only title is title."""
    work = WORK_AGGREGATE.dump(WORK_AGGREGATE.load({"titles": [{"text": title or "x"}]}))
    work["titles"][0]["text"] = title or "x"
    return ExportedRecord(key, "upsert", True, work, {})


def _csv_cells(text: str) -> list[list[str]]:
    """Return the data rows of an exported CSV."""
    return list(csv.reader(io.StringIO(text)))[1:]


@pytest.mark.parametrize("title", FORMULA_TITLES)
def test_csv_export_neutralises_cells_a_spreadsheet_would_run(title: str) -> None:
    out = io.StringIO()
    write_csv(iter([_record("=KEY()", title)]), out)
    row = _csv_cells(out.getvalue())[0]
    assert row[0] == "'=KEY()"
    assert f"'{title}" in row
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)


def test_csv_export_can_leave_cells_as_they_are() -> None:
    out = io.StringIO()
    write_csv(iter([_record("K", "=1+1")]), out, neutralise=False)
    assert "=1+1" in _csv_cells(out.getvalue())[0]


@pytest.mark.parametrize("value", FORMULA_TITLES + HARMLESS)
def test_neutralising_is_undone_exactly(value: str) -> None:
    assert restore_formula(neutralise_formula(value)) == value


def test_neutralised_csv_imports_back_to_the_same_titles_and_keys(tmp_path: Path) -> None:
    titles = [t for t in FORMULA_TITLES + HARMLESS if t.strip() and t == t.strip()]
    out = io.StringIO()
    write_csv(iter(_record(f"={n}", t) for n, t in enumerate(titles)), out)
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    records = list(ExchangeCsvImporter().records(path))
    assert [r.key for r in records] == [f"={n}" for n in range(len(titles))]
    assert [r.data["titles"][0]["text"] for r in records] == titles
    assert all(not r.errors for r in records)


def test_jsonl_escapes_line_separators_and_keeps_them_in_the_data(tmp_path: Path) -> None:
    title = "line\u2028separator\u2029paragraph\u0085next =1+1"
    out = io.StringIO()
    write_jsonl(iter([_record("K", title)]), out)
    text = out.getvalue()
    assert "\u2028" not in text and "\u2029" not in text and "\u0085" not in text
    assert text.splitlines() == [text.rstrip("\n")]
    path = tmp_path / "export.jsonl"
    path.write_text(text, encoding="utf-8")
    (record,) = ExchangeJsonlImporter().records(path)
    assert record.data["titles"][0]["text"] == title


def test_built_line_is_the_same_json_as_before_escaping() -> None:
    work = {"titles": [{"text": "a\u2028b"}], "attributes": {"k\u2029": "v"}}
    line = build_line("K", work)
    assert json.loads(line)["work"] == work
    assert parse_line(line, 1).data == work


@pytest.mark.parametrize(("option", "first_cell"), [([], "'=1+1"), (["--no-neutralise"], "=1+1")])
def test_the_export_command_neutralises_unless_told_not_to(
    registry, monkeypatch, tmp_path: Path, option: list[str], first_cell: str
) -> None:
    from click.testing import CliRunner

    from registry.cli.export import export_command
    from tests.helpers import write_aggregates

    monkeypatch.setenv("REGISTRY_DATABASE_URL", registry.settings.database_url)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(registry.settings.instance_path))
    write_aggregates(registry, [("K1", {"titles": [{"text": "=1+1"}]})])
    target = tmp_path / "export.csv"
    result = CliRunner().invoke(export_command, ["--format", "csv", "-o", str(target), *option])
    assert result.exit_code == 0, result.output
    (row,) = _csv_cells(target.read_text("utf-8"))
    assert first_cell in row
