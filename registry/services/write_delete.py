"""Withdraw what one source record stated: its facts go, a tombstone tells harvesters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from registry.models import SourceRecord, SourceTombstone, Work
from registry.models.base import utcnow
from registry.services.records import SourceInfo, UpsertOutcome
from registry.services.write_rows import FACT_TABLES

if TYPE_CHECKING:
    from registry.services.works import WorkWriter

RECORDS = SourceRecord.__table__
TOMBSTONES = SourceTombstone.__table__
WORKS = Work.__table__


def withdraw(writer: WorkWriter, source: SourceInfo) -> UpsertOutcome:
    """Withdraw everything one source record stated; tombstone works left without sources."""
    connection = writer.session.connection()
    found = connection.execute(
        select(RECORDS.c.id, RECORDS.c.work_id).where(
            RECORDS.c.agency_code == source.agency,
            RECORDS.c.source_format == source.source_format,
            RECORDS.c.source_key == source.key,
        )
    ).first()
    if found is None:
        return UpsertOutcome("unchanged", None)
    record_id, work_id = found
    for table in FACT_TABLES:
        connection.execute(
            delete(table.__table__).where(table.__table__.c.source_record_id == record_id)
        )
    connection.execute(
        update(WORKS)
        .where(WORKS.c.id == work_id, WORKS.c.primary_source_id == record_id)
        .values(primary_source_id=None)
    )
    tombstone(writer, source, work_id)
    connection.execute(delete(RECORDS).where(RECORDS.c.id == record_id))
    remaining = connection.execute(
        select(RECORDS.c.id).where(RECORDS.c.work_id == work_id).limit(1)
    ).first()
    connection.execute(
        update(WORKS)
        .where(WORKS.c.id == work_id)
        .values(version=WORKS.c.version + 1, deleted=remaining is None, updated_at=utcnow())
    )
    writer.queue_for_index(work_id)
    return UpsertOutcome("deleted", work_id)


def tombstone(writer: WorkWriter, source: SourceInfo, work_id: int) -> None:
    """Remember that a source key was withdrawn, for harvesters."""
    connection = writer.session.connection()
    key = (
        TOMBSTONES.c.agency_code == source.agency,
        TOMBSTONES.c.source_format == source.source_format,
        TOMBSTONES.c.source_key == source.key,
    )
    values = {"work_id": work_id, "deleted_at": utcnow(), "import_batch_id": writer.batch_id}
    if connection.execute(select(TOMBSTONES.c.id).where(*key)).first() is not None:
        connection.execute(update(TOMBSTONES).where(*key).values(values))
        return
    connection.execute(
        insert(TOMBSTONES).values(
            agency_code=source.agency,
            source_format=source.source_format,
            source_key=source.key,
            **values,
        )
    )
