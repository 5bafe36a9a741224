"""Agencies, import batches, rejections and the source records behind every fact."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, utcnow


class Agency(Base):
    """A registering body that publishes records."""

    __tablename__ = "agency"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))


class ImportBatch(Base):
    """One run of an importer over one file, with counts that reconcile."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agency.code"))
    source_format: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    dry_run: Mapped[bool] = mapped_column(default=False)
    read_count: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    rejected_count: Mapped[int] = mapped_column(default=0)
    deleted_count: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text)

    rejections: Mapped[list[Rejection]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="Rejection.id"
    )


class Rejection(Base):
    """A record that an import refused, kept with its raw text and reasons."""

    __tablename__ = "rejection"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    locator: Mapped[str] = mapped_column(String(500))
    raw_text: Mapped[str] = mapped_column(Text)
    errors: Mapped[dict]

    batch: Mapped[ImportBatch] = relationship(back_populates="rejections")

    __table_args__ = (Index("ix_rejection_batch", "batch_id"),)


class SourceRecord(Base):
    """One record as an agency stated it: the lineage of the facts it contributed."""

    __tablename__ = "source_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agency.code"))
    source_format: Mapped[str] = mapped_column(String(64))
    source_key: Mapped[str] = mapped_column(String(300))
    work_id: Mapped[int] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"))
    authoritative: Mapped[bool] = mapped_column(default=True)
    locator: Mapped[str | None] = mapped_column(String(500))
    payload: Mapped[str] = mapped_column(Text)
    normalized: Mapped[dict]
    sha256: Mapped[str] = mapped_column(String(64))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    origin_work_id: Mapped[int | None] = mapped_column(index=True)
    linked_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("agency_code", "source_format", "source_key"),
        Index("ix_source_record_work", "work_id"),
    )


class SourceTombstone(Base):
    """A source record that was withdrawn, kept so harvesters learn of the deletion."""

    __tablename__ = "source_tombstone"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agency.code"))
    source_format: Mapped[str] = mapped_column(String(64))
    source_key: Mapped[str] = mapped_column(String(300))
    work_id: Mapped[int | None]
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))

    __table_args__ = (UniqueConstraint("agency_code", "source_format", "source_key"),)
