"""contact points; the correction and retraction state of advice sessions

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
    op.create_table(
        "contact_points",
        sa.Column("region", sa.String(5), primary_key=True),
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("advice_sessions", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("advice_sessions", sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("advice_sessions", sa.Column("retraction_reason", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("advice_sessions") as batch:
        batch.drop_column("retraction_reason")
        batch.drop_column("retracted_at")
        batch.drop_column("corrected_at")
    op.drop_table("contact_points")
