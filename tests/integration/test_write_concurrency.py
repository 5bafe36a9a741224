"""Two imports at once never create two works or two parties for the same identifier or name.

The threads drive the chunk write path directly (write_chunk per chunk of parsed records), the
part that places records into works and resolves parties; the batch lifecycle around it is
tested with the import jobs.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from importers.exchange.jsonl import ExchangeJsonlImporter
from registry.context import Registry
from registry.models import Identifier, ImportBatch, Party, SourceRecord
from registry.services.agencies import ensure_agency
from registry.services.chunks import write_chunk
from registry.services.imports import BatchReport

RECORDS = 240
CHUNK = 20


def _file(folder: Path, prefix: str, order: range) -> Path:
    """Write records that state the same CPBs and people as the other file, in another order."""
    lines = []
    for n in order:
        work = {
            "work_type": "movie",
            "titles": [{"text": f"Obra {n} ({prefix})"}],
            "identifiers": [{"scheme": "br_cpb", "value": f"B21{n:011d}"}],
            "contributions": [
                {"party": {"kind": "person", "name": f"Pessoa {n % 17}"}, "role": "director"}
            ],
        }
        envelope = {"format": "av-registry-exchange/1", "key": f"{prefix}{n}", "work": work}
        lines.append(json.dumps(envelope, ensure_ascii=False))
    path = folder / f"{prefix}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _report(reg: Registry, path: Path) -> BatchReport:
    """Create the import batch of a file and return its empty report."""
    with reg.sessions() as session:
        ensure_agency(session, "ZZ-EXCHANGE")
        batch = ImportBatch(
            agency_code="ZZ-EXCHANGE",
            source_format="exchange-jsonl",
            file_name=path.name,
            sha256="0" * 64,
        )
        session.add(batch)
        session.commit()
        return BatchReport(batch.id, path.name, "exchange-jsonl", "ZZ-EXCHANGE", "0" * 64)


def _import(reg: Registry, report: BatchReport, path: Path) -> BatchReport:
    """Write a file's records in chunks of CHUNK, as an import does."""
    records = list(ExchangeJsonlImporter().records(path))
    for start in range(0, len(records), CHUNK):
        write_chunk(reg, report, records[start : start + CHUNK], False, None)
    return report


def test_two_overlapping_imports_at_once_share_works_and_parties(registry, tmp_path):
    reg = Registry(replace(registry.settings))
    files = [
        _file(tmp_path, "a", range(RECORDS)),
        _file(tmp_path, "b", range(RECORDS - 1, -1, -1)),
    ]
    reports = [_report(reg, path) for path in files]  # batches exist before the race
    errors: list[BaseException] = []
    start = threading.Barrier(len(files))

    def run(report: BatchReport, path: Path) -> None:
        """Import one file once both threads are ready."""
        try:
            start.wait()
            _import(reg, report, path)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(reports, files, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert [r.counts["created"] for r in reports] == [RECORDS, RECORDS]
    assert all(r.reconciles() and r.counts["rejected"] == 0 for r in reports)
    with reg.sessions() as s:
        works_per_cpb = s.execute(
            select(Identifier.value, func.count(func.distinct(Identifier.work_id))).group_by(
                Identifier.value
            )
        ).all()
        assert len(works_per_cpb) == RECORDS
        assert {count for _, count in works_per_cpb} == {1}
        assert s.scalar(select(func.count(func.distinct(SourceRecord.work_id)))) == RECORDS
        assert s.scalar(select(func.count()).select_from(Party)) == 17
    reg.close()
