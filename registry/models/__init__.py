"""SQLAlchemy models of the registry."""

from registry.models.auth import ApiToken, AuditEntry, ImportJob
from registry.models.base import Base
from registry.models.dead_letter import IndexDeadLetter
from registry.models.findings import ImportFinding
from registry.models.matching import MatchDecision, MatchPair
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
    "ApiToken",
    "AuditEntry",
    "Base",
    "CoProduction",
    "Contribution",
    "Identifier",
    "ImportBatch",
    "ImportFinding",
    "ImportJob",
    "IndexDeadLetter",
    "IndexOutbox",
    "License",
    "MatchDecision",
    "MatchPair",
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
