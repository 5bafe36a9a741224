"""drop indexes another index's leading column already serves

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every identifier and party name written updates each of its table's indexes. These two
# answer nothing their neighbours cannot: ix_identifier_work_scheme (work_id, scheme) serves
# lookups and cascades by work_id, the unique (party_id, name) those by party_id.
REDUNDANT = (
    ('ix_identifier_work_id', 'identifier', ['work_id']),
    ('ix_party_name_party_id', 'party_name', ['party_id']),
)


def upgrade() -> None:
    """Apply this revision."""
    for name, table, _ in REDUNDANT:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    """Revert this revision."""
    for name, table, columns in reversed(REDUNDANT):
        op.create_index(name, table, columns, unique=False)
