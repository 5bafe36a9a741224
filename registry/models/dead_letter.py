"""Works the search node refused to index, kept with the reason until they change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, utcnow


class IndexDeadLetter(Base):
    """A work whose document the node refused (4xx), at the version that was refused."""

    __tablename__ = "index_dead_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(unique=True)
    work_version: Mapped[int | None]
    status: Mapped[int]
    error_type: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=1)
    first_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
