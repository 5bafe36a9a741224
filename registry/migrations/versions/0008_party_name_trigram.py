"""trigram index on folded party names (PostgreSQL)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = 'ix_party_name_name_folded_trgm'


def upgrade() -> None:
    """Let party search find words inside names through an index (pg_trgm); nothing on SQLite."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON party_name USING gin (name_folded gin_trgm_ops)'
    )


def downgrade() -> None:
    """Drop the trigram index (the extension stays: other databases objects may use it)."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'DROP INDEX IF EXISTS {INDEX}')
