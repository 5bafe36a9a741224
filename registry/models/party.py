"""Parties (people and organisations) with their identifiers and name variants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, utcnow


class Party(Base):
    """A person or organisation that makes, owns or exploits works."""

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(500))
    name_folded: Mapped[str] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    identifiers: Mapped[list[PartyIdentifier]] = relationship(
        cascade="all, delete-orphan", order_by="PartyIdentifier.id"
    )
    names: Mapped[list[PartyName]] = relationship(
        cascade="all, delete-orphan", order_by="PartyName.id"
    )

    __table_args__ = (Index("ix_party_kind_name", "kind", "name_folded"),)
    __mapper_args__ = {"version_id_col": version}


class PartyIdentifier(Base):
    """An identifier of a party (tax registration, ISNI, EIDR party id)."""

    __tablename__ = "party_identifier"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(300))

    __table_args__ = (
        UniqueConstraint("scheme", "value"),
        Index("ix_party_identifier_value", "value"),
    )


class PartyName(Base):
    """A spelling of a party's name seen in some source."""

    __tablename__ = "party_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    name_folded: Mapped[str] = mapped_column(String(500), index=True)

    # The unique (party_id, name) index serves look-ups and cascades by party_id.
    __table_args__ = (UniqueConstraint("party_id", "name"),)
