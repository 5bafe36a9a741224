"""record linkage: links, candidates, decisions and merged works

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch_op.create_index('ix_work_merged_into', ['merged_into'], unique=False)
    with op.batch_alter_table('source_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_work_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('linked_sha256', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_source_record_origin_work_id', ['origin_work_id'], unique=False)
    op.create_table(
        'match_pair',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('work_a', sa.Integer(), nullable=False),
        sa.Column('work_b', sa.Integer(), nullable=False),
        sa.Column('probability', sa.Float(), nullable=True),
        sa.Column('match_weight', sa.Float(), nullable=True),
        sa.Column('explanation', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('decided_by', sa.String(length=16), nullable=False),
        sa.Column('model_version', sa.String(length=64), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_pair')),
        sa.UniqueConstraint('work_a', 'work_b', name=op.f('uq_match_pair_work_a_work_b')),
    )
    op.create_index('ix_match_pair_work_b', 'match_pair', ['work_b'], unique=False)
    op.create_index('ix_match_pair_status', 'match_pair', ['status'], unique=False)
    op.create_table(
        'match_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('work_id', sa.Integer(), nullable=False),
        sa.Column('other_work_id', sa.Integer(), nullable=True),
        sa.Column('record_key', sa.String(length=300), nullable=True),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_decision')),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('match_decision')
    op.drop_index('ix_match_pair_status', table_name='match_pair')
    op.drop_index('ix_match_pair_work_b', table_name='match_pair')
    op.drop_table('match_pair')
    with op.batch_alter_table('source_record', schema=None) as batch_op:
        batch_op.drop_index('ix_source_record_origin_work_id')
        batch_op.drop_column('linked_sha256')
        batch_op.drop_column('origin_work_id')
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.drop_index('ix_work_merged_into')
        batch_op.drop_column('merged_into')
