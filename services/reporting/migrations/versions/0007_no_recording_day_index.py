"""figure_counts without its index by recording day. It served the rows of the (activity
day, recording month) grain, gone since 0004; every query a sheet makes now seeks the
primary key (activity grain, recording grain, activity day or month, recording day), and the
index only cost the projector a second B-tree insert per row (bench/README.md).

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("figure_counts_by_recording_day", table_name="figure_counts")


def downgrade() -> None:
    op.create_index("figure_counts_by_recording_day", "figure_counts",
                    ["recorded_grain", "occurred_grain", "recorded_on", "occurred_on"])
