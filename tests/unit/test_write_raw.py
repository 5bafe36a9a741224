"""Unit tests: rows written as tuples name every column SQLAlchemy would fill by default."""

from __future__ import annotations

import pytest
from sqlalchemy import Table

from registry.models import IndexOutbox, PartyIdentifier, PartyName, Work
from registry.services.parties import PARTIES, PARTY_COLUMNS, folded_name
from registry.services.works import RECORDS
from registry.services.write_rows import FACT_COLUMNS
from schemas.text import fold

RECORD_COLUMNS = (
    "agency_code", "source_format", "source_key", "work_id", "created_at", "authoritative",
    "locator", "payload", "normalized", "sha256", "import_batch_id", "updated_at",
)  # fmt: skip
WRITTEN: list[tuple[Table, tuple[str, ...]]] = [
    *((model.__table__, columns) for model, columns in FACT_COLUMNS.items()),
    (IndexOutbox.__table__, ("work_id", "created_at")),
    (Work.__table__, ("version", "incomplete", "deleted", "original_languages", "created_at",
                      "updated_at")),
    (RECORDS, RECORD_COLUMNS),
    (PARTIES, PARTY_COLUMNS),
    (PartyIdentifier.__table__, ("party_id", "scheme", "value")),
    (PartyName.__table__, ("party_id", "name", "name_folded")),
]  # fmt: skip


@pytest.mark.parametrize(("table", "columns"), WRITTEN, ids=lambda v: getattr(v, "name", ""))
def test_tuple_writes_fill_every_column_with_a_python_default(table: Table, columns) -> None:
    assert set(columns) <= set(table.c.keys())
    defaulted = {c.name for c in table.c if c.default is not None and not c.primary_key}
    assert defaulted <= set(columns)
    required = {c.name for c in table.c if not c.nullable and not c.primary_key}
    assert required - {c.name for c in table.c if c.server_default is not None} <= set(columns)


@pytest.mark.parametrize(
    "text",
    ["O VESTIDO", "  Two\t\tspaces  ", "Ação", "ÉCOLE", "Straße", "a\x1cb", "\x1f x \x1e", "ǅemal"],
)
def test_folded_name_is_fold(text: str) -> None:
    assert folded_name(text) == fold(text)
