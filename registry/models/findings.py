"""Findings of an import: warnings and notices about records that were stored anyway."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base


class ImportFinding(Base):
    """A problem found in a record that did not stop it being stored (warning or notice)."""

    __tablename__ = "import_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    severity: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    locator: Mapped[str] = mapped_column(String(500))
    source_key: Mapped[str | None] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_import_finding_batch_code", "batch_id", "code"),)
