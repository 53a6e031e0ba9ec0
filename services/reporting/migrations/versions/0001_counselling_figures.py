"""ledger and the counselling aggregates

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from iq_runtime.ledger import create_ledger_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_ledger_tables(op)
    op.create_table(
        "counselling_sessions_daily",
        sa.Column("region", sa.String(5), primary_key=True),
        sa.Column("occurred_on", sa.Date, primary_key=True),
        sa.Column("recorded_on", sa.Date, primary_key=True),
        sa.Column("session_type", sa.String(20), primary_key=True),
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("mode", sa.String(20), primary_key=True),
        sa.Column("sessions", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("counselling_sessions_daily")
    op.drop_table("partition_offsets")
    op.drop_table("applied_events")
