"""Import the exchange samples, withdraw records, filter exports and run `registry export`."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from registry.cli.export import export_command
from registry.models import License, SourceRecord, Title, Work
from registry.services.export import export
from registry.services.imports import run_import
from tests.conftest import TEST_DATA
from tests.integration.test_exchange_roundtrip import canonical, export_to, fresh_registry

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "exchange"


def _works_by_key(registry, tmp_path: Path, name: str) -> dict[str, dict]:
    """Return {source key: exported work} of a registry."""
    path = export_to(registry, tmp_path / f"{name}.jsonl", "jsonl")
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return {line["origin"]["key"]: line["work"] for line in lines}


def test_the_csv_and_jsonl_samples_state_the_same_works(registry, tmp_path):
    csv_report = run_import(registry, SAMPLES / "template.csv", agency="AR-INCAA")
    assert csv_report.source_format == "exchange-csv"
    assert csv_report.counts["created"] == 3 and csv_report.counts["rejected"] == 0
    other = fresh_registry(tmp_path / "other")
    jsonl_report = run_import(other, SAMPLES / "template.jsonl", agency="AR-INCAA")
    assert jsonl_report.source_format == "exchange-jsonl"
    assert jsonl_report.counts["created"] == 3 and jsonl_report.counts["rejected"] == 0
    from_csv = _works_by_key(registry, tmp_path, "csv")
    from_jsonl = _works_by_key(other, tmp_path, "jsonl")
    assert set(from_csv) == {"EJEMPLO-AR-0001", "EJEMPLO-PE-0001", "EJEMPLO-0003"}
    assert {k: canonical(v) for k, v in from_csv.items()} == {
        k: canonical(v) for k, v in from_jsonl.items()
    }
    other.close()


def test_the_template_sample_fills_licences_from_following_rows(registry):
    run_import(registry, SAMPLES / "template.csv")
    with registry.sessions() as s:
        work_id = s.scalar(select(Title.work_id).where(Title.text == "The River House"))
        licences = s.scalars(
            select(License).where(License.work_id == work_id).order_by(License.start)
        ).all()
        assert [(lic.licensee.name, lic.media, lic.exclusive) for lic in licences] == [
            ("Plataforma Ejemplo S.R.L.", ["svod"], True),
            ("Canal Ejemplo", ["free_tv"], False),
        ]
        assert licences[0].territory_expression == "LATAM except BR"
        assert "BR" not in licences[0].territories and "AR" in licences[0].territories
        assert s.get(Work, work_id).year == 2026


def test_the_minimal_sample_needs_only_a_few_columns(registry):
    report = run_import(registry, SAMPLES / "minimal.csv", agency="PE-DAFO")
    assert report.counts == {
        "read": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "rejected": 0,
    }
    with registry.sessions() as s:
        keys = s.scalars(
            select(SourceRecord.source_key).where(SourceRecord.agency_code == "PE-DAFO")
        ).all()
    assert sorted(keys) == ["EJEMPLO-AR-0001", "EJEMPLO-PE-0001"]


def test_a_dry_run_counts_without_writing(registry):
    report = run_import(registry, SAMPLES / "template.jsonl", dry_run=True)
    assert report.counts["created"] == 3
    with registry.sessions() as s:
        assert s.scalars(select(Work)).first() is None


def test_schema_errors_carry_the_line_and_field_path(registry, tmp_path):
    line = json.loads((SAMPLES / "template.jsonl").read_text("utf-8").splitlines()[2])
    line["work"]["licenses"][1]["territories"] = ["JJ"]
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"format": "av-registry-exchange/1", "key": \n' + json.dumps(line) + "\n", "utf-8"
    )
    report = run_import(registry, path)
    assert report.counts["rejected"] == 2
    first, second = report.rejections
    assert first["locator"] == "line 1" and "_line" in first["errors"]
    assert second["locator"] == "line 2"
    assert list(second["errors"]) == ["licenses.1.territories"]
    assert "JJ" in second["errors"]["licenses.1.territories"][0]


def test_a_csv_medium_outside_the_vocabulary_is_reported_for_its_licence(registry, tmp_path):
    text = (SAMPLES / "template.csv").read_text("utf-8").replace(",free_tv,", ",tv abierta,")
    path = tmp_path / "bad.csv"
    path.write_text(text, "utf-8")
    report = run_import(registry, path)
    assert report.counts["created"] == 2 and report.counts["rejected"] == 1
    [rejection] = report.rejections
    assert rejection["locator"] == "lines 4-5"
    assert list(rejection["errors"]) == ["licenses.1.media.0"]


def test_a_delete_line_withdraws_what_the_key_stated(registry, tmp_path):
    run_import(registry, SAMPLES / "template.jsonl")
    path = tmp_path / "delete.jsonl"
    path.write_text(
        json.dumps(
            {"format": "av-registry-exchange/1", "key": "EJEMPLO-PE-0001", "action": "delete"}
        )
        + "\n",
        "utf-8",
    )
    report = run_import(registry, path)
    assert report.counts["deleted"] == 1
    with registry.sessions() as s:
        work_id = s.scalar(select(Title.work_id).where(Title.text == "The Milk of Sorrow"))
        assert work_id is None
        assert s.scalars(select(Work).where(Work.deleted.is_(True))).one()
    assert "EJEMPLO-PE-0001" not in _works_by_key(registry, tmp_path, "after")
    assert run_import(registry, path).counts["unchanged"] == 1


def test_since_and_agency_filter_the_export(registry, tmp_path):
    run_import(registry, TEST_DATA / "ancine" / "cpb-2023.csv", "ancine-cpb")
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    run_import(registry, SAMPLES / "template.jsonl", agency="AR-INCAA")
    later = _keys(registry, tmp_path / "since.jsonl", since=moment)
    assert later == [
        "AR-INCAA:exchange-jsonl:EJEMPLO-AR-0001",
        "AR-INCAA:exchange-jsonl:EJEMPLO-PE-0001",
        "AR-INCAA:exchange-jsonl:EJEMPLO-0003",
    ]
    ancine = _keys(registry, tmp_path / "ancine.jsonl", agency="BR-ANCINE")
    assert len(ancine) == 34 and all(k.startswith("BR-ANCINE:ancine-cpb:B") for k in ancine)
    naive = moment.replace(tzinfo=None)
    assert _keys(registry, tmp_path / "naive.jsonl", since=naive) == later


def _keys(registry, path: Path, **filters) -> list[str]:
    """Export with filters and return the keys in file order."""
    with path.open("w", encoding="utf-8") as out:
        export(registry, out, "jsonl", **filters)
    return [json.loads(line)["key"] for line in path.read_text("utf-8").splitlines()]


@pytest.fixture
def cli_env(registry, monkeypatch):
    """Point the command line at the test database."""
    monkeypatch.setenv("REGISTRY_DATABASE_URL", registry.settings.database_url)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(registry.settings.instance_path))
    run_import(registry, SAMPLES / "template.csv", agency="AR-INCAA")
    return registry


def test_the_command_writes_jsonl_to_standard_output(cli_env):
    result = CliRunner().invoke(export_command, [])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["key"] for line in lines][0] == "AR-INCAA:exchange-csv:EJEMPLO-AR-0001"
    assert "exported 3 records" in result.stderr


def test_the_command_writes_a_csv_file_that_imports_again(cli_env, tmp_path):
    target = tmp_path / "out" / "export.csv"
    result = CliRunner().invoke(
        export_command, ["--format", "csv", "--agency", "AR-INCAA", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "exported 3 records (5 csv lines, header included)" in result.stderr
    assert list(target.parent.iterdir()) == [target]
    copy = fresh_registry(tmp_path / "copy")
    assert run_import(copy, target).counts["created"] == 3
    copy.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "not an ISO 8601 time"),
        (["--agency", "MX-IMCINE"], "no records"),
        (["--format", "xml"], "xml"),
    ],
)
def test_the_command_explains_bad_options(cli_env, args, message):
    result = CliRunner().invoke(export_command, args)
    assert result.exit_code != 0
    assert message in result.output


def test_the_command_explains_a_database_without_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    target = tmp_path / "export.jsonl"
    result = CliRunner().invoke(export_command, ["-o", str(target)])
    assert result.exit_code == 1
    assert "registry db upgrade" in result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "empty.sqlite3"]


def _harvest(registry, path: Path, export_format: str, since: datetime) -> Path:
    """Export the changes since a moment to path."""
    with path.open("w", encoding="utf-8", newline="") as out:
        export(registry, out, export_format, since=since)
    return path


@pytest.mark.parametrize("export_format", ["jsonl", "csv"])
def test_a_harvest_since_a_moment_carries_withdrawals(registry, tmp_path, export_format):
    run_import(registry, SAMPLES / "template.jsonl", agency="AR-INCAA")
    mirror = fresh_registry(tmp_path / "mirror")
    full = export_to(registry, tmp_path / f"full.{export_format}", export_format)
    assert run_import(mirror, full).counts["created"] == 3
    time.sleep(0.01)
    moment = datetime.now(UTC)
    withdrawal = tmp_path / "withdraw.jsonl"
    withdrawal.write_text(
        json.dumps(
            {"format": "av-registry-exchange/1", "key": "EJEMPLO-PE-0001", "action": "delete"}
        )
        + "\n",
        "utf-8",
    )
    assert run_import(registry, withdrawal, agency="AR-INCAA").counts["deleted"] == 1

    changes = _harvest(registry, tmp_path / f"changes.{export_format}", export_format, moment)
    if export_format == "jsonl":
        [line] = [json.loads(text) for text in changes.read_text("utf-8").splitlines()]
        assert line["key"] == "AR-INCAA:exchange-jsonl:EJEMPLO-PE-0001"
        assert line["action"] == "delete" and "work" not in line
        assert line["origin"]["key"] == "EJEMPLO-PE-0001"
    report = run_import(mirror, changes)
    assert report.counts["deleted"] == 1 and report.counts["read"] == 1
    with mirror.sessions() as s:
        assert s.scalar(select(Title.work_id).where(Title.text == "La teta asustada")) is None
        assert s.scalar(select(Title.work_id).where(Title.text == "Relatos salvajes")) is not None
    mirror.close()


def test_a_full_export_leaves_withdrawals_out(registry, tmp_path):
    run_import(registry, SAMPLES / "template.jsonl")
    withdrawal = tmp_path / "withdraw.jsonl"
    withdrawal.write_text(
        json.dumps({"format": "av-registry-exchange/1", "key": "EJEMPLO-0003", "action": "delete"})
        + "\n",
        "utf-8",
    )
    run_import(registry, withdrawal)
    assert _keys(registry, tmp_path / "full.jsonl") == [
        "ZZ-EXCHANGE:exchange-jsonl:EJEMPLO-AR-0001",
        "ZZ-EXCHANGE:exchange-jsonl:EJEMPLO-PE-0001",
    ]
    since = _keys(registry, tmp_path / "since.jsonl", since=datetime(2000, 1, 1))
    assert since[-1] == "ZZ-EXCHANGE:exchange-jsonl:EJEMPLO-0003" and len(since) == 3
