"""SQLite under SQLAlchemy's transaction handling: savepoints nest, a dry run writes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from importers.base import ParsedRecord
from registry.context import Registry
from registry.migrate import upgrade
from registry.models import ImportBatch, SourceRecord, Work
from registry.services.agencies import ensure_agency
from registry.services.chunks import write_chunk
from registry.services.imports import BatchReport

REFUSED_TITLE = "refused by the database"


def _sqlite_registry(folder: Path) -> Registry:
    """Return a migrated registry on a SQLite file whose title table refuses one text."""
    reg = Registry.from_settings(
        {"instance_path": folder, "database_url": f"sqlite:///{folder / 'r.sqlite3'}"}
    )
    upgrade(reg)
    with reg.sessions() as session:
        ensure_agency(session, "ZZ-EXCHANGE")
        session.add(
            ImportBatch(
                agency_code="ZZ-EXCHANGE",
                source_format="exchange-jsonl",
                file_name="test.jsonl",
                sha256="0" * 64,
            )
        )
        session.execute(
            text(
                "CREATE TRIGGER refuse_title BEFORE INSERT ON title "
                f"WHEN NEW.text = '{REFUSED_TITLE}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
        session.commit()
    return reg


def _records() -> list[ParsedRecord]:
    """Return two good records around one the database refuses."""
    titles = ("Relatos salvajes", REFUSED_TITLE, "El secreto de sus ojos")
    return [
        ParsedRecord(f"line {n}", title, f"K{n}", {"titles": [{"text": title}]})
        for n, title in enumerate(titles, start=1)
    ]


def _report() -> BatchReport:
    """Return an empty report for a chunk written outside a batch."""
    return BatchReport(1, "test.jsonl", "exchange-jsonl", "ZZ-EXCHANGE", "0" * 64)


def _database_bytes(reg: Registry) -> bytes:
    """Close every connection (checkpointing the log) and return the database file's bytes."""
    reg.engine.dispose()
    folder = Path(reg.settings.database_url.removeprefix("sqlite:///")).parent
    assert not (folder / "r.sqlite3-wal").exists() or (folder / "r.sqlite3-wal").stat().st_size == 0
    return (folder / "r.sqlite3").read_bytes()


def test_a_dry_run_through_the_one_by_one_path_leaves_the_file_unchanged(tmp_path: Path) -> None:
    reg = _sqlite_registry(tmp_path)
    before = _database_bytes(reg)
    report = _report()
    write_chunk(reg, report, _records(), dry_run=True, after_commit=None)
    assert report.counts["created"] == 2
    assert report.counts["rejected"] == 1
    assert _database_bytes(reg) == before
    reg.close()


def test_the_one_by_one_path_keeps_the_good_records_when_not_dry(tmp_path: Path) -> None:
    reg = _sqlite_registry(tmp_path)
    report = _report()
    write_chunk(reg, report, _records(), dry_run=False, after_commit=None)
    assert report.rejections[0]["locator"] == "line 2"
    assert "_store" in report.rejections[0]["errors"]
    with reg.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Work)) == 2
        assert sorted(session.scalars(select(SourceRecord.source_key))) == ["K1", "K3"]
    reg.close()


def test_a_rolled_back_savepoint_keeps_the_outer_transaction(tmp_path: Path) -> None:
    reg = _sqlite_registry(tmp_path)
    with reg.sessions() as session:
        session.execute(text("CREATE TABLE probe (n INTEGER)"))
        session.execute(text("INSERT INTO probe VALUES (1)"))
        nested = session.begin_nested()
        session.execute(text("INSERT INTO probe VALUES (2)"))
        nested.rollback()
        session.rollback()
    with reg.sessions() as session:
        assert (
            session.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'probe'")
            ).scalar()
            == 0
        )
    reg.close()
