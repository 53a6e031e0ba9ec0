"""organisations, activities, consultations, the outbox and imported source ids

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


def _history() -> list[sa.Column]:
    return [sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
            sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("corrected_at", sa.DateTime(timezone=True)),
            sa.Column("retracted_at", sa.DateTime(timezone=True)),
            sa.Column("retraction_reason", sa.String(40))]


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("organisation_id", sa.Uuid, primary_key=True),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("target_group", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("region", "code", name="uq_organisations_region_code"),
    )
    op.create_table(
        "activities",
        sa.Column("activity_id", sa.Uuid, primary_key=True),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("target_group", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False, index=True),
        sa.Column("participants", sa.Integer, nullable=False),
        *_history(),
    )
    op.create_table(
        "consultations",
        sa.Column("consultation_id", sa.Uuid, primary_key=True),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("organisation_id", sa.Uuid, nullable=False, index=True),
        sa.Column("organisation_type", sa.String(40), nullable=False),
        sa.Column("target_group", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False, index=True),
        *_history(),
    )
    create_outbox_table(op)
    create_imported_records_table(op)


def downgrade() -> None:
    for table in ("imported_records", "outbox", "consultations", "activities", "organisations"):
        op.drop_table(table)
