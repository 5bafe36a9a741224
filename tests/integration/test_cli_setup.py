"""The command line explains its setup: which database and index, and what to run when not ready."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from registry.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "mddf" / "common" / "CM_base.xml"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Return settings that put the instance in tmp_path and name a database of their own."""
    return {
        "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"),
        "REGISTRY_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'registry.sqlite3'}",
        "REGISTRY_INDEX_PREFIX": "cli-setup-",
        **extra,
    }


def _one_line_error(result) -> str:  # noqa: ANN001
    """Return the error line of a failed run after checking it is the only explanation."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_import_from_another_folder_refuses_without_creating_a_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env["REGISTRY_ES_PORT"] = os.environ.get("REGISTRY_ES_PORT", "9200")
    result = subprocess.run(
        [sys.executable, "-m", "registry", "import", "--no-index", str(SAMPLE)],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"registry: database sqlite:///{tmp_path}/instance/registry.sqlite3")
    assert lines[1] == (
        f"error: no database at {tmp_path}/instance/registry.sqlite3: run `registry db upgrade` "
        "to create it there, or point REGISTRY_INSTANCE_PATH (or REGISTRY_DATABASE_URL) at an "
        "existing one"
    )
    assert len(lines) == 2
    assert not (tmp_path / "instance").exists()


def test_every_command_names_its_database_and_index(tmp_path: Path) -> None:
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade"], env=_env(tmp_path))
    assert upgraded.exit_code == 0, upgraded.output
    imported = runner.invoke(main, ["import", "--no-index", str(SAMPLE)], env=_env(tmp_path))
    assert imported.exit_code == 0, imported.output
    database = f"sqlite:///{tmp_path}/instance/registry.sqlite3"
    for result in (upgraded, imported):
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"registry: database {database}; index cli-setup-works at http://")
    assert "CM_base.xml [mec-xml, ZZ-AVAILS]: read 1, created 1" in imported.stdout


def test_a_database_behind_the_code_is_told_to_upgrade(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade", "--revision", "0002"], env=env).exit_code == 0
    result = runner.invoke(main, ["export", "--format", "jsonl"], env=env)
    line = _one_line_error(result)
    assert "is at schema revision 0002, this registry needs" in line
    assert line.endswith("run `registry db upgrade`")


def test_an_empty_database_file_is_told_to_upgrade(tmp_path: Path) -> None:
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "registry.sqlite3").write_bytes(b"")
    result = CliRunner().invoke(main, ["index", "status"], env=_env(tmp_path))
    assert "has no registry tables: run `registry db upgrade`" in _one_line_error(result)


def test_an_unreachable_database_server_is_one_line(tmp_path: Path) -> None:
    env = _env(tmp_path, REGISTRY_DATABASE_URL="postgresql+psycopg://nobody:secret@127.0.0.1:1/x")
    result = CliRunner().invoke(main, ["import", "--no-index", str(SAMPLE)], env=env)
    line = _one_line_error(result)
    assert line.startswith("error: cannot open the database at postgresql+psycopg://nobody:***@")
    assert "secret" not in result.output


def test_help_needs_no_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["import", "--help"], env=_env(tmp_path))
    assert result.exit_code == 0
    assert "Import one or more agency files." in result.stdout
    assert not (tmp_path / "instance").exists()


def test_db_status_tells_whether_the_schema_is_current(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade", "--revision", "0002"], env=env).exit_code == 0
    behind = runner.invoke(main, ["db", "status"], env=env)
    assert "is at schema revision 0002" in _one_line_error(behind)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    current = runner.invoke(main, ["db", "status"], env=env)
    assert current.exit_code == 0, current.output
    assert current.stdout.startswith("database at ") and "(up to date)" in current.stdout


def test_import_prints_warnings_by_code_and_the_report_lists_them(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    report = tmp_path / "report.json"
    sample = ROOT / "samples" / "mddf" / "avails" / "Avails_withErrors.xml"
    result = runner.invoke(
        main, ["import", "--no-index", "--report", str(report), str(sample)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "read 3, created 2, updated 0, unchanged 0, deleted 0, rejected 1" in result.stdout
    assert "  6 warnings: language-invalid 3, rating-invalid 2, vocabulary-unknown 1" in (
        result.stdout
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["warnings"] == {"language-invalid": 3, "rating-invalid": 2, "vocabulary-unknown": 1}
    assert len(data["findings"]) == 6 and len(data["rejections"]) == 1
    assert set(data["findings"][0]) == {
        "severity",
        "code",
        "locator",
        "source_key",
        "field",
        "message",
    }
