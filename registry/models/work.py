"""Works with their titles, identifiers and countries of origin."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, utcnow

if TYPE_CHECKING:
    from registry.models.provenance import SourceRecord
    from registry.models.rights import Contribution, CoProduction, License, RightsHolding


class Work(Base):
    """An audiovisual work: the merged view over every source that describes it."""

    __tablename__ = "work"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    work_type: Mapped[str | None] = mapped_column(String(32))
    year: Mapped[int | None]
    year_end: Mapped[int | None]
    runtime_minutes: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))
    episode_count: Mapped[int | None]
    original_languages: Mapped[list] = mapped_column(default=list)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("work.id", ondelete="SET NULL"))
    sequence: Mapped[int | None]
    incomplete: Mapped[bool] = mapped_column(default=False)
    deleted: Mapped[bool] = mapped_column(default=False)
    merged_into: Mapped[int | None] = mapped_column(index=True)
    primary_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_record.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    titles: Mapped[list[Title]] = relationship(cascade="all, delete-orphan", order_by="Title.id")
    identifiers: Mapped[list[Identifier]] = relationship(
        cascade="all, delete-orphan", order_by="Identifier.id"
    )
    countries: Mapped[list[WorkCountry]] = relationship(
        cascade="all, delete-orphan", order_by="WorkCountry.id"
    )
    contributions: Mapped[list[Contribution]] = relationship(
        viewonly=True, order_by="Contribution.id"
    )
    rights: Mapped[list[RightsHolding]] = relationship(viewonly=True, order_by="RightsHolding.id")
    licenses: Mapped[list[License]] = relationship(viewonly=True, order_by="License.id")
    coproductions: Mapped[list[CoProduction]] = relationship(
        viewonly=True, order_by="CoProduction.id"
    )
    sources: Mapped[list[SourceRecord]] = relationship(
        viewonly=True, order_by="SourceRecord.id", foreign_keys="SourceRecord.work_id"
    )

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Title(Base):
    """A title of a work in one language, of one kind, said by one source."""

    __tablename__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"), index=True)
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    text_folded: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    kind: Mapped[str] = mapped_column(String(16))
    territory: Mapped[str | None] = mapped_column(String(2))

    __table_args__ = (Index("ix_title_text_folded", "text_folded"),)


class Identifier(Base):
    """A normalised identifier of a work under one scheme."""

    __tablename__ = "identifier"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"))
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(300))
    # False when the source's value failed its scheme's checksum or syntax: shown, never joined on.
    verified: Mapped[bool] = mapped_column(default=True, server_default=true())

    __table_args__ = (
        Index("ix_identifier_scheme_value", "scheme", "value"),
        Index("ix_identifier_value", "value"),
        Index("ix_identifier_work_scheme", "work_id", "scheme"),  # serves work_id alone too
    )


class WorkCountry(Base):
    """A country of origin of a work, as one source states it."""

    __tablename__ = "work_country"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"), index=True)
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), index=True
    )
    country: Mapped[str] = mapped_column(String(2))
