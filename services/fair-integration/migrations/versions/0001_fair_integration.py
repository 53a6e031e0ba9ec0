"""advice sessions, group events, referrals, the outbox and imported source ids

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from iq_runtime.bulk_import import create_imported_records_table
from iq_runtime.outbox import create_outbox_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _status() -> list[sa.Column]:
    return [sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("corrected_at", sa.DateTime(timezone=True)),
            sa.Column("retracted_at", sa.DateTime(timezone=True)),
            sa.Column("retraction_reason", sa.String(30))]


def upgrade() -> None:
    op.create_table(
        "advice_sessions",
        sa.Column("session_id", sa.Uuid, primary_key=True),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("occurred_on", sa.Date, nullable=False, index=True),
        sa.Column("session_type", sa.String(20), nullable=False),
        sa.Column("topics", sa.String(300), nullable=False),
        sa.Column("residence_status", sa.String(30), nullable=False),
        sa.Column("citizenship", sa.String(2), nullable=False),
        sa.Column("person_ref", sa.String(64), nullable=False, index=True),
        *_status(),
    )
    op.create_table(
        "group_events",
        sa.Column("activity_id", sa.Uuid, primary_key=True),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("held_on", sa.Date, nullable=False, index=True),
        sa.Column("topics", sa.String(300), nullable=False),
        sa.Column("participants", sa.Integer, nullable=False),
        *_status(),
    )
    op.create_table(
        "referrals",
        sa.Column("referral_id", sa.Uuid, primary_key=True),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("occurred_on", sa.Date, nullable=False, index=True),
        sa.Column("citizenship", sa.String(2), nullable=False),
        sa.Column("person_ref", sa.String(64), nullable=False, index=True),
        *_status(),
    )
    create_outbox_table(op)
    create_imported_records_table(op)


def downgrade() -> None:
    for table in ("imported_records", "outbox", "referrals", "group_events", "advice_sessions"):
        op.drop_table(table)
