"""figure_counts without the (activity day, recording month) grain: the days at the edges of
a free date range are summed from day rows instead, so the projector writes a quarter fewer
rows. Its rows are deleted; the other grains are unchanged. The downgrade rebuilds them from
the day rows (SQLite and PostgreSQL spell the month differently).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM figure_counts WHERE occurred_grain = 'd' AND recorded_grain = 'm'")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    month = "substr(recorded_on, 1, 8) || '01'" if sqlite else "date_trunc('month', recorded_on)::date"
    op.execute(
        "INSERT INTO figure_counts (occurred_grain, recorded_grain, occurred_on, recorded_on, region, measure, "
        f"dimension, count) SELECT 'd', 'm', occurred_on, {month}, region, measure, dimension, sum(count) "
        f"FROM figure_counts WHERE occurred_grain = 'd' AND recorded_grain = 'd' "
        f"GROUP BY occurred_on, {month}, region, measure, dimension")
