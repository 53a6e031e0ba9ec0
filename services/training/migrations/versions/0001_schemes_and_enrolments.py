"""schemes, enrolments, the outbox and the source ids of bulk-imported records

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

ESF_FIELDS = ("gender", "age_band", "isced", "labour_market_status", "third_country_national",
              "foreign_background")


def _history() -> list[sa.Column]:
    return [
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True)),
        sa.Column("retracted_at", sa.DateTime(timezone=True)),
        sa.Column("retraction_reason", sa.String(20)),
    ]


def upgrade() -> None:
    op.create_table(
        "schemes",
        sa.Column("scheme_id", sa.Uuid, primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("measure_type", sa.String(40), nullable=False),
        sa.Column("occupation_classification", sa.String(10), nullable=False),
        sa.Column("occupation_code", sa.String(5), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False, index=True),
        sa.Column("planned_end", sa.Date, nullable=False),
        *_history(),
    )
    op.create_table(
        "enrolments",
        sa.Column("enrolment_id", sa.Uuid, primary_key=True),
        sa.Column("scheme_id", sa.Uuid, nullable=False, index=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("region", sa.String(5), nullable=False, index=True),
        sa.Column("person_ref", sa.String(64), nullable=False, index=True),
        sa.Column("started_on", sa.Date, nullable=False, index=True),
        *(sa.Column(name, sa.String(30), nullable=False) for name in ESF_FIELDS),
        *_history(),
        sa.Column("completed_on", sa.Date),
        sa.Column("outcome", sa.String(30)),
        sa.Column("completion_recorded_at", sa.DateTime(timezone=True)),
    )
    create_outbox_table(op)
    create_imported_records_table(op)


def downgrade() -> None:
    op.drop_table("imported_records")
    op.drop_table("outbox")
    op.drop_table("enrolments")
    op.drop_table("schemes")
