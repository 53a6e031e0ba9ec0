"""SQLite: the projection's tables WITHOUT ROWID, so a row lives in its primary key's B-tree
only. A rowid table with a composite key writes every upsert twice (the table and the key's
index); the projector upserts ~15 rows per event. No-op on PostgreSQL.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("figure_counts", "distinct_persons", "person_period_counts", "contact_point_intervals",
          "record_states", "applied_events", "partition_offsets")


def _rebuild(with_rowid: bool) -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for table in TABLES:
        (create,) = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).one()
        create = create.rstrip().removesuffix("WITHOUT ROWID").rstrip()
        indexes = [sql for (sql,) in connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
        connection.exec_driver_sql(f"ALTER TABLE {table} RENAME TO {table}_old")
        connection.exec_driver_sql(create + ("" if with_rowid else " WITHOUT ROWID"))
        connection.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM {table}_old")
        connection.exec_driver_sql(f"DROP TABLE {table}_old")
        for sql in indexes:
            connection.exec_driver_sql(sql)


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
