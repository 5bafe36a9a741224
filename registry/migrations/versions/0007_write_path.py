"""write-path indexes and columns for bulk imports

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Lookups a chunk makes by identifier value alone (hard-rule placement, parents, parties) and
# by work and scheme (exclusive identifiers of candidate works): without these, each chunk
# scans the identifier tables and an import slows down as the registry grows.
INDEXES = (
    ('ix_identifier_value', 'identifier', ['value']),
    ('ix_identifier_work_scheme', 'identifier', ['work_id', 'scheme']),
    ('ix_party_identifier_value', 'party_identifier', ['value']),
)


def upgrade() -> None:
    """Apply this revision."""
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    """Revert this revision."""
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
