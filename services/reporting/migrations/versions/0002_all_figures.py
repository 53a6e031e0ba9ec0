"""every figure of the sheet: signed aggregate rows, distinct persons, contact point
intervals and the current state of every record (replaces the counselling-only table;
rebuild the projection after upgrading: `iq-reporting rebuild`)

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("counselling_sessions_daily")
    op.create_table(
        "figure_counts",
        sa.Column("occurred_grain", sa.String(1), primary_key=True),
        sa.Column("recorded_grain", sa.String(1), primary_key=True),
        sa.Column("occurred_on", sa.Date, primary_key=True),
        sa.Column("recorded_on", sa.Date, primary_key=True),
        sa.Column("region", sa.String(5), primary_key=True),
        sa.Column("measure", sa.String(60), primary_key=True),
        sa.Column("dimension", sa.String(60), primary_key=True),
        sa.Column("count", sa.BigInteger, nullable=False),
    )
    op.create_index("figure_counts_by_recording_day", "figure_counts",
                    ["recorded_grain", "occurred_grain", "recorded_on", "occurred_on"])
    op.create_table(
        "distinct_persons",
        sa.Column("area", sa.String(20), primary_key=True),
        sa.Column("occurred_on", sa.Date, primary_key=True),
        sa.Column("recorded_on", sa.Date, primary_key=True),
        sa.Column("region", sa.String(5), primary_key=True),
        sa.Column("person_ref", sa.String(64), primary_key=True),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "person_period_counts",
        sa.Column("area", sa.String(20), primary_key=True),
        sa.Column("scope", sa.String(5), primary_key=True),
        sa.Column("grain", sa.String(1), primary_key=True),
        sa.Column("period_start", sa.Date, primary_key=True),
        sa.Column("recorded_on", sa.Date, primary_key=True),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "contact_point_intervals",
        sa.Column("region", sa.String(5), primary_key=True),
        sa.Column("contact_point", sa.String(64), primary_key=True),
        sa.Column("type", sa.String(20), primary_key=True),
        sa.Column("opened_on", sa.Date, primary_key=True),
        sa.Column("closed_on", sa.Date, primary_key=True),
        sa.Column("recorded_on", sa.Date, primary_key=True),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "record_states",
        sa.Column("record", sa.String(120), primary_key=True),
        sa.Column("contribution", sa.Text, nullable=False),
        sa.Column("facts", sa.Text),
        sa.Column("first_recorded_at", sa.String(40), nullable=False),
        sa.Column("last_recorded_at", sa.String(40), nullable=False),
    )
    # the old table's events are no longer projected: start the projection again from zero
    op.execute("DELETE FROM applied_events")
    op.execute("DELETE FROM partition_offsets")


def downgrade() -> None:
    for table in ("record_states", "contact_point_intervals", "person_period_counts", "distinct_persons",
                  "figure_counts"):
        op.drop_table(table)
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
    op.execute("DELETE FROM applied_events")
    op.execute("DELETE FROM partition_offsets")
