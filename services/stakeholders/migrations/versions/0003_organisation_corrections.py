"""organisations can be corrected: when it was last done

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as table:
        table.add_column(sa.Column("corrected_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as table:
        table.drop_column("corrected_at")
