"""The set queries that load a chunk of works and their facts for index documents."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, bindparam, cast, select
from sqlalchemy.orm import aliased

from registry.models import (
    Contribution,
    CoProduction,
    Identifier,
    License,
    Party,
    RightsHolding,
    SourceRecord,
    Title,
    Work,
    WorkCountry,
)

WORK = Work.__table__.c
WORK_COLUMNS = [
    WORK[name]
    for name in (
        "id",
        "version",
        "work_type",
        "year",
        "year_end",
        "runtime_minutes",
        "episode_count",
        "incomplete",
        "deleted",
        "parent_id",
        "sequence",
        "updated_at",
        "original_languages",
        "primary_source_id",
        "merged_into",
    )
]


FACT_KINDS = (
    "titles",
    "identifiers",
    "countries",
    "agencies",
    "contributions",
    "rights",
    "licenses",
    "coproductions",
)


def _as_text(column: Any) -> Any:
    """Return a JSON column as its stored text, embedded in documents without decoding."""
    return cast(column, Text)


@cache
def chunk_queries(span: bool) -> dict[str, Select[Any]]:
    """Return the chunk's queries: the works, then one per fact table, bound to lo/hi or ids.

    Rows come in the order of the work_id indexes (work, then id), so no query sorts; a work's
    sources may repeat an agency, which the builder folds like every other set.
    """

    def among(column: Any) -> ColumnElement[bool]:
        if span:
            return column.between(bindparam("lo"), bindparam("hi"))
        return column.in_(bindparam("ids", expanding=True))

    work_columns = [_as_text(c) if c.name == "original_languages" else c for c in WORK_COLUMNS]
    licensor, licensee = aliased(Party), aliased(Party)
    copro_party = aliased(Party)
    return {
        "works": select(*work_columns).where(among(WORK.id)),
        "titles": select(
            Title.work_id,
            Title.text,
            Title.text_folded,
            Title.language,
            Title.kind,
            Title.territory,
            Title.source_record_id,
        )
        .where(among(Title.work_id))
        .order_by(Title.work_id, Title.id),
        "identifiers": select(Identifier.work_id, Identifier.scheme, Identifier.value).where(
            among(Identifier.work_id)
        ),
        "countries": select(WorkCountry.work_id, WorkCountry.country).where(
            among(WorkCountry.work_id)
        ),
        "agencies": select(SourceRecord.work_id, SourceRecord.agency_code).where(
            among(SourceRecord.work_id)
        ),
        "contributions": select(
            Contribution.work_id,
            Contribution.party_id,
            Contribution.role,
            Party.name,
            Party.name_folded,
        )
        .join(Party, Party.id == Contribution.party_id)
        .where(among(Contribution.work_id))
        .order_by(Contribution.work_id, Contribution.id),
        "rights": select(
            RightsHolding.work_id,
            RightsHolding.holder_party_id,
            Party.name,
            Party.name_folded,
            RightsHolding.right_type,
            RightsHolding.share_pct,
            _as_text(RightsHolding.territories),
            RightsHolding.valid_from,
            RightsHolding.valid_to,
        )
        .join(Party, Party.id == RightsHolding.holder_party_id)
        .where(among(RightsHolding.work_id))
        .order_by(RightsHolding.work_id, RightsHolding.id),
        "licenses": select(
            License.work_id,
            License.id,
            License.licensor_party_id,
            licensor.name,
            licensor.name_folded,
            License.licensee_party_id,
            licensee.name,
            licensee.name_folded,
            _as_text(License.media),
            _as_text(License.territories),
            _as_text(License.languages),
            License.start,
            License.end,
            License.exclusive,
            License.status,
        )
        .outerjoin(licensor, licensor.id == License.licensor_party_id)
        .outerjoin(licensee, licensee.id == License.licensee_party_id)
        .where(among(License.work_id))
        .order_by(License.work_id, License.id),
        "coproductions": select(
            CoProduction.work_id,
            CoProduction.party_id,
            CoProduction.country,
            copro_party.name,
            copro_party.name_folded,
        )
        .outerjoin(copro_party, copro_party.id == CoProduction.party_id)
        .where(among(CoProduction.work_id)),
    }
