"""The bulk write path keeps every guarantee: counts, provenance, placement, stubs, tombstones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select, text

from registry.context import Registry
from registry.models import (
    Contribution,
    Identifier,
    IndexOutbox,
    Party,
    Rejection,
    SourceRecord,
    SourceTombstone,
    Title,
    Work,
)
from registry.services.imports import run_import
from tests.conftest import TEST_DATA


def _line(key: str, work: dict[str, Any], action: str = "upsert") -> str:
    """Return one exchange line."""
    envelope = {"format": "av-registry-exchange/1", "key": key, "action": action, "work": work}
    return json.dumps(envelope, ensure_ascii=False)


def _file(folder: Path, name: str, lines: list[str]) -> Path:
    """Write an exchange JSONL file and return its path."""
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _work(title: str, *identifiers: tuple[str, str, bool], **fields: Any) -> dict[str, Any]:
    """Return a small movie with a title and (scheme, value, verified) identifiers."""
    return {
        "work_type": "movie",
        "titles": [{"text": title}],
        "identifiers": [{"scheme": s, "value": v, "verified": ok} for s, v, ok in identifiers],
        **fields,
    }


def _count(registry: Registry, model: type) -> int:
    """Return how many rows a table holds."""
    with registry.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def _work_of(registry: Registry, key: str) -> int:
    """Return the work id of a source key."""
    with registry.sessions() as s:
        return s.scalar(select(SourceRecord.work_id).where(SourceRecord.source_key == key))


def test_reference_cuts_reconcile_and_reimport_unchanged_with_provenance(registry):
    files = [("ancine-cpb", "cpb-2023.csv"), ("ancine-countries", "countries.csv")]
    files += [("ancine-directors", "directors.csv"), ("ancine-releases", "releases.csv")]
    first = [run_import(registry, TEST_DATA / "ancine" / name, fmt) for fmt, name in files]
    assert all(r.reconciles() for r in first)
    assert sum(r.counts["created"] for r in first) > 50
    before = _count(registry, Title), _count(registry, Contribution), _count(registry, Work)
    again = [run_import(registry, TEST_DATA / "ancine" / name, fmt) for fmt, name in files]
    for one, two in zip(first, again, strict=True):
        assert two.counts["unchanged"] == one.counts["read"] - one.counts["rejected"]
        assert two.counts["rejected"] == one.counts["rejected"]
    assert (_count(registry, Title), _count(registry, Contribution), _count(registry, Work)) == (
        before
    )
    with registry.sessions() as s:
        for model in (Title, Identifier, Contribution):
            mismatched = s.scalar(
                select(func.count())
                .select_from(model)
                .join(SourceRecord, SourceRecord.id == model.source_record_id)
                .where(SourceRecord.work_id != model.work_id)
            )
            assert mismatched == 0, f"{model.__name__} rows carry another work than their record"


def test_a_chunk_shares_works_by_identifier_and_never_by_placeholder_or_unverified(
    registry, tmp_path
):
    lines = [
        _line("a", _work("Uno", ("br_cpb", "B2000263300000", True))),
        _line("b", _work("Uno bis", ("br_cpb", "B2000263300000", True))),
        _line("c", _work("GIGANTE", ("br_roe", "E1300000100000", True))),
        _line("d", _work("GIGANTE", ("br_roe", "E1300000100000", True))),
        _line("e", _work("Tres", ("br_cpb", "B99", False))),
        _line("f", _work("Tres", ("br_cpb", "B99", False))),
    ]
    report = run_import(registry, _file(tmp_path, "w.jsonl", lines), "exchange-jsonl")
    assert report.counts["created"] == 6 and report.reconciles()
    works = {key: _work_of(registry, key) for key in "abcdef"}
    assert works["a"] == works["b"]
    assert len({works["c"], works["d"], works["e"], works["f"], works["a"]}) == 5
    with registry.sessions() as s:
        flags = set(s.execute(select(Identifier.value, Identifier.verified)))
    assert ("B99", False) in flags and ("B2000263300000", True) in flags
    later = [_line("g", _work("Uno ter", ("br_cpb", "B2000263300000", True)))]
    run_import(registry, _file(tmp_path, "later.jsonl", later), "exchange-jsonl")
    assert _work_of(registry, "g") == works["a"]


def test_episodes_share_one_parent_stub_that_the_series_record_later_fills(registry, tmp_path):
    parent = {"scheme": "br_cpb", "value": "B2100000100000"}
    episodes = [
        _line(f"ep{n}", {**_work(f"Episódio {n}"), "work_type": "episode", "parent": parent})
        for n in (1, 2)
    ]
    run_import(registry, _file(tmp_path, "eps.jsonl", episodes), "exchange-jsonl")
    with registry.sessions() as s:
        parents = set(s.scalars(select(Work.parent_id).where(Work.parent_id.isnot(None))))
        assert len(parents) == 1
        stub = s.get(Work, parents.pop())
        assert stub.incomplete
        outbox = set(s.scalars(select(IndexOutbox.work_id)))
    assert stub.id in outbox
    series = [_line("series", _work("A Série", ("br_cpb", "B2100000100000", True)))]
    run_import(registry, _file(tmp_path, "series.jsonl", series), "exchange-jsonl")
    assert _work_of(registry, "series") == stub.id
    with registry.sessions() as s:
        assert not s.get(Work, stub.id).incomplete


def test_deletes_leave_tombstones_and_a_new_record_lifts_them(registry, tmp_path):
    run_import(registry, _file(tmp_path, "one.jsonl", [_line("x", _work("Xis"))]), "exchange-jsonl")
    work_id = _work_of(registry, "x")
    gone = run_import(
        registry, _file(tmp_path, "del.jsonl", [_line("x", {}, "delete")]), "exchange-jsonl"
    )
    assert gone.counts["deleted"] == 1
    with registry.sessions() as s:
        work = s.get(Work, work_id)
        assert work.deleted and work.primary_source_id is None
        assert s.scalar(select(SourceTombstone.work_id)) == work_id
        assert s.scalar(select(func.count()).select_from(Title)) == 0
    back = run_import(
        registry, _file(tmp_path, "back.jsonl", [_line("x", _work("Xis"))]), "exchange-jsonl"
    )
    assert back.counts["created"] == 1
    assert _count(registry, SourceTombstone) == 0


def test_a_record_the_database_refuses_is_rejected_alone(registry, tmp_path):
    _refuse_title(registry, "RECUSADO")
    lines = [_line(f"k{n}", _work(f"Obra {n}")) for n in range(5)]
    lines.insert(2, _line("bad", _work("RECUSADO")))
    path = _file(tmp_path, "mixed.jsonl", lines)
    report = run_import(registry, path, "exchange-jsonl")
    assert report.counts == {**report.counts, "read": 6, "created": 5, "rejected": 1}
    [rejection] = report.rejections
    assert rejection["locator"] == "line 3" and "_store" in rejection["errors"]
    assert _count(registry, Rejection) == 1
    assert _count(registry, SourceRecord) == 5
    assert _count(registry, IndexOutbox) == 5


def test_parties_are_shared_within_and_across_chunks(registry, tmp_path):
    reg = Registry(_settings(registry, import_batch_size=2))
    person = {"kind": "person", "name": "Lucrecia Martel"}
    lines = [
        _line(
            f"p{n}",
            {**_work(f"Filme {n}"), "contributions": [{"party": person, "role": "director"}]},
        )  # fmt: skip
        for n in range(5)
    ]
    report = run_import(reg, _file(tmp_path, "p.jsonl", lines), "exchange-jsonl")
    assert report.counts["created"] == 5
    assert _count(reg, Party) == 1 and _count(reg, Contribution) == 5


def test_the_report_file_streams_every_rejection(registry, tmp_path, monkeypatch):
    from registry.cli import main as cli

    lines = [_line(f"ok{n}", _work(f"Obra {n}")) for n in range(3)]
    lines += [_line(f"bad{n}", {"year": 1000, "titles": [{"text": "x"}]}) for n in range(4)]
    path = _file(tmp_path, "r.jsonl", lines)
    out = tmp_path / "report.json"
    for name, value in (
        ("REGISTRY_DATABASE_URL", registry.settings.database_url),
        ("REGISTRY_INSTANCE_PATH", str(tmp_path)),
    ):
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(
        cli, ["import", "--no-index", "--format", "exchange-jsonl", "--report", str(out), str(path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["counts"]["rejected"] == 4 and data["reconciles"]
    assert [r["locator"] for r in data["rejections"]] == [f"line {n}" for n in range(4, 8)]
    assert all("year" in r["errors"] for r in data["rejections"])


def test_a_dry_run_reports_rejections_and_writes_nothing(registry, tmp_path):
    lines = [_line("ok", _work("Obra")), _line("bad", {"year": 1000, "titles": [{"text": "x"}]})]
    report = run_import(registry, _file(tmp_path, "d.jsonl", lines), "exchange-jsonl", dry_run=True)
    assert report.counts["created"] == 1 and len(report.rejections) == 1
    assert report.to_dict()["rejections"][0]["locator"] == "line 2"
    assert _count(registry, SourceRecord) == 0 and _count(registry, Rejection) == 0


def _settings(registry: Registry, **changes: Any) -> Any:
    """Return the registry's settings with changes."""
    from dataclasses import replace

    return replace(registry.settings, **changes)


def _refuse_title(registry: Registry, title: str) -> None:
    """Install a real trigger that makes the database refuse a title (SQLite or PostgreSQL)."""
    with registry.engine.begin() as connection:
        if registry.engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_title BEFORE INSERT ON title "
                    f"WHEN NEW.text = '{title}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
            return
        connection.execute(
            text(
                "CREATE OR REPLACE FUNCTION refuse_title() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.text = '{title}' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER refuse_title BEFORE INSERT ON title "
                "FOR EACH ROW EXECUTE FUNCTION refuse_title()"
            )
        )
