"""advice sessions and the outbox

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from iq_runtime.outbox import create_outbox_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advice_sessions",
        sa.Column("session_id", sa.Uuid, primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("contact_point", sa.String(64), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_type", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("occupation_classification", sa.String(10), nullable=False),
        sa.Column("occupation_code", sa.String(5), nullable=False),
        sa.Column("qualification_country", sa.String(2), nullable=False),
        sa.Column("occupation_regulated", sa.Boolean, nullable=False),
        sa.Column("person_ref", sa.String(64), nullable=False, index=True),
    )
    create_outbox_table(op)


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("advice_sessions")
