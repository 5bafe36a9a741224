"""Record linkage outcomes kept as data: scored pairs of works and the decisions people made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, utcnow


class MatchPair(Base):
    """Two origin works compared by the model or decided by a person, with the outcome."""

    __tablename__ = "match_pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_a: Mapped[int]
    work_b: Mapped[int]
    probability: Mapped[float | None] = mapped_column(Float)
    match_weight: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(16), default="model")
    model_version: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("work_a", "work_b"),
        Index("ix_match_pair_work_b", "work_b"),
        Index("ix_match_pair_status", "status"),
    )


class MatchDecision(Base):
    """The audit trail of linkage decisions taken by people."""

    __tablename__ = "match_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    work_id: Mapped[int]
    other_work_id: Mapped[int | None]
    record_key: Mapped[str | None] = mapped_column(String(300))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
