"""SQLAlchemy models of the registry."""

from registry.models.base import Base
from registry.models.outbox import IndexOutbox
from registry.models.party import Party, PartyIdentifier, PartyName
from registry.models.provenance import (
    Agency,
    ImportBatch,
    Rejection,
    SourceRecord,
    SourceTombstone,
)
from registry.models.rights import Contribution, CoProduction, License, RightsHolding
from registry.models.work import Identifier, Title, Work, WorkCountry

__all__ = [
    "Agency",
    "Base",
    "CoProduction",
    "Contribution",
    "Identifier",
    "ImportBatch",
    "IndexOutbox",
    "License",
    "Party",
    "PartyIdentifier",
    "PartyName",
    "Rejection",
    "RightsHolding",
    "SourceRecord",
    "SourceTombstone",
    "Title",
    "Work",
    "WorkCountry",
]
