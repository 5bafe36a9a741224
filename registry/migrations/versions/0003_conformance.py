"""identifier verification and import findings

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verified", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "import_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("locator", sa.String(length=500), nullable=False),
        sa.Column("source_key", sa.String(length=300), nullable=True),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_import_finding_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_finding")),
    )
    with op.batch_alter_table("import_finding", schema=None) as batch_op:
        batch_op.create_index("ix_import_finding_batch_code", ["batch_id", "code"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("import_finding", schema=None) as batch_op:
        batch_op.drop_index("ix_import_finding_batch_code")
    op.drop_table("import_finding")
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.drop_column("verified")
