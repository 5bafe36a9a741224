"""Facts linking works and parties: contributions, holdings, licences, co-productions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base
from registry.models.party import Party


def _work_fk() -> Mapped[int]:
    """Return the indexed work foreign key every fact carries."""
    return mapped_column(ForeignKey("work.id", ondelete="CASCADE"), index=True)


def _source_fk() -> Mapped[int]:
    """Return the indexed source record foreign key every fact carries."""
    return mapped_column(ForeignKey("source_record.id", ondelete="CASCADE"), index=True)


def _party_fk(nullable: bool) -> Mapped[int | None]:
    """Return an indexed party foreign key."""
    return mapped_column(ForeignKey("party.id"), index=True, nullable=nullable)


class Contribution(Base):
    """A party's role in making a work."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = _work_fk()
    source_record_id: Mapped[int] = _source_fk()
    party_id: Mapped[int] = _party_fk(False)
    role: Mapped[str] = mapped_column(String(32))
    credit_order: Mapped[int | None]

    party: Mapped[Party] = relationship(lazy="joined")


class RightsHolding(Base):
    """A party's ownership of a right in a work, in some territories and period."""

    __tablename__ = "rights_holding"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = _work_fk()
    source_record_id: Mapped[int] = _source_fk()
    holder_party_id: Mapped[int] = _party_fk(False)
    right_type: Mapped[str] = mapped_column(String(32))
    share_pct: Mapped[float | None] = mapped_column(Numeric(7, 4, asdecimal=False))
    territories: Mapped[list] = mapped_column(default=list)
    territory_expression: Mapped[str | None] = mapped_column(String(500))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]

    holder: Mapped[Party] = relationship(lazy="joined")


class License(Base):
    """Permission to exploit a work: media, territories, languages and a window."""

    __tablename__ = "license"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = _work_fk()
    source_record_id: Mapped[int] = _source_fk()
    licensor_party_id: Mapped[int | None] = _party_fk(True)
    licensee_party_id: Mapped[int | None] = _party_fk(True)
    media: Mapped[list] = mapped_column(default=list)
    territories: Mapped[list] = mapped_column(default=list)
    territory_expression: Mapped[str | None] = mapped_column(String(500))
    languages: Mapped[list] = mapped_column(default=list)
    exclusive: Mapped[bool | None]
    start: Mapped[date | None]
    end: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="active")
    external_id: Mapped[str | None] = mapped_column(String(300))
    terms: Mapped[dict] = mapped_column(default=dict)

    licensor: Mapped[Party | None] = relationship(foreign_keys=[licensor_party_id], lazy="joined")
    licensee: Mapped[Party | None] = relationship(foreign_keys=[licensee_party_id], lazy="joined")


class CoProduction(Base):
    """A country's (and optionally a company's) part in a co-production."""

    __tablename__ = "coproduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = _work_fk()
    source_record_id: Mapped[int] = _source_fk()
    party_id: Mapped[int | None] = _party_fk(True)
    country: Mapped[str] = mapped_column(String(2))
    share_pct: Mapped[float | None] = mapped_column(Numeric(7, 4, asdecimal=False))
    role: Mapped[str | None] = mapped_column(String(16))

    party: Mapped[Party | None] = relationship(lazy="joined")
