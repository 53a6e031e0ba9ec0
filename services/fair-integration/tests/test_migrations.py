"""The migrations build exactly the tables the store writes to (no drift between the two)."""

from sqlalchemy import create_engine, inspect

from iq_fair_integration.bootstrap import MIGRATIONS
from iq_fair_integration.store import metadata
from iq_runtime.migrations import upgrade


def test_the_migrated_schema_matches_the_store(tmp_path):
    url = f"sqlite:///{tmp_path}/schema.db"
    upgrade(MIGRATIONS, url)
    engine = create_engine(url)
    migrated = inspect(engine)
    for table in metadata.sorted_tables:
        columns = {column["name"]: column["nullable"] for column in migrated.get_columns(table.name)}
        assert columns == {column.name: column.nullable for column in table.columns}, table.name
    engine.dispose()
