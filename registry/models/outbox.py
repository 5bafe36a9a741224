"""Pending index operations, written in the same transaction as the data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, utcnow


class IndexOutbox(Base):
    """A work whose index document must be refreshed."""

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_index_outbox_work", "work_id"),)
