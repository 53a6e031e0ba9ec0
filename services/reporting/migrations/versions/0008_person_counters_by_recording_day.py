"""The person counters keyed by period, then recording day, then scope: the rows one batch
writes (today's, for the periods it touches) lie side by side instead of one per scope all
over the table. A live window of 150 events wrote 132 pages of these two tables out of 655
(bench/README.md). A sheet reads them as before: a period's rows by recording day, for its
scopes. On SQLite the tables are copied into new ones (a primary key cannot change in place).

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# table -> its recording column
TABLES = {"person_period_counts": "recorded_on", "person_period_months": "recorded_month"}


def _key(recorded: str, by_recording: bool) -> list[str]:
    return ["area", "grain", "period_start", recorded, "scope"] if by_recording else \
        ["area", "scope", "grain", "period_start", recorded]


def _rekey(by_recording: bool) -> None:
    connection = op.get_bind()
    for table, recorded in TABLES.items():
        key = _key(recorded, by_recording)
        if connection.dialect.name != "sqlite":
            op.drop_constraint(f"{table}_pkey", table, type_="primary")
            op.create_primary_key(f"{table}_pkey", table, key)
            continue
        connection.exec_driver_sql(f"ALTER TABLE {table} RENAME TO {table}_old")
        connection.exec_driver_sql(
            f"CREATE TABLE {table} (area VARCHAR(20) NOT NULL, scope VARCHAR(5) NOT NULL, grain VARCHAR(1) NOT NULL, "
            f"period_start DATE NOT NULL, {recorded} DATE NOT NULL, delta BIGINT NOT NULL, "
            f"PRIMARY KEY ({', '.join(key)})) WITHOUT ROWID")
        connection.exec_driver_sql(f"INSERT INTO {table} SELECT area, scope, grain, period_start, {recorded}, delta "
                                   f"FROM {table}_old")
        connection.exec_driver_sql(f"DROP TABLE {table}_old")


def upgrade() -> None:
    _rekey(by_recording=True)


def downgrade() -> None:
    _rekey(by_recording=False)
