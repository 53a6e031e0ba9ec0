"""figure_rollups (a year or quarter of activity by year of recording) and
person_period_months (the person counters by recording month): a sheet as of any date reads
about one row per cell (see iq_reporting/recorded.py). Filled from the rows already stored,
so an existing projection needs no rebuild. sheet_changes: what the sheet cache checks.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# the first day of a date's year, quarter and month
SQLITE = {"y": "substr({0}, 1, 4) || '-01-01'",
          "q": "substr({0}, 1, 5) || printf('%02d', (cast(substr({0}, 6, 2) AS INTEGER) - 1) / 3 * 3 + 1) || '-01'",
          "m": "substr({0}, 1, 8) || '01'"}
POSTGRESQL = {grain: f"date_trunc('{unit}', {{0}})::date"
              for grain, unit in (("y", "year"), ("q", "quarter"), ("m", "month"))}


def upgrade() -> None:
    key = {"primary_key": True}
    op.create_table(
        "figure_rollups",
        sa.Column("grain", sa.String(1), **key), sa.Column("period_start", sa.Date, **key),
        sa.Column("recorded_year", sa.Date, **key), sa.Column("region", sa.String(5), **key),
        sa.Column("measure", sa.String(60), **key), sa.Column("dimension", sa.String(60), **key),
        sa.Column("count", sa.BigInteger, nullable=False), sqlite_with_rowid=False)
    op.create_table(
        "person_period_months",
        sa.Column("area", sa.String(20), **key), sa.Column("scope", sa.String(5), **key),
        sa.Column("grain", sa.String(1), **key), sa.Column("period_start", sa.Date, **key),
        sa.Column("recorded_month", sa.Date, **key), sa.Column("delta", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False)
    op.create_table(
        "sheet_changes",
        sa.Column("occurred_month", sa.Date, **key), sa.Column("recorded_on", sa.Date, **key),
        sa.Column("changes", sa.BigInteger, nullable=False), sqlite_with_rowid=False)
    first = SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL
    for grain in ("y", "q"):
        period, recorded = first[grain].format("occurred_on"), first["y"].format("recorded_on")
        op.execute(
            f"INSERT INTO figure_rollups SELECT '{grain}', {period}, {recorded}, region, measure, dimension, "
            f"sum(count) FROM figure_counts WHERE occurred_grain = 'm' AND recorded_grain = 'm' "
            f"GROUP BY {period}, {recorded}, region, measure, dimension")
    month = first["m"].format("recorded_on")
    op.execute(f"INSERT INTO person_period_months SELECT area, scope, grain, period_start, {month}, sum(delta) "
               f"FROM person_period_counts GROUP BY area, scope, grain, period_start, {month}")


def downgrade() -> None:
    op.drop_table("sheet_changes")
    op.drop_table("person_period_months")
    op.drop_table("figure_rollups")
