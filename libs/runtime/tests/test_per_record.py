"""Per-record statements: on SQLite they run on the driver, compiled once; the rows they
store and read must be exactly what SQLAlchemy stores and reads (same types, same
processing), on SQLite and PostgreSQL alike, and their errors SQLAlchemy's."""

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy import Column, bindparam, exc, insert, select, update

from iq_runtime.database import create_engine, dispose, reading, session_factory, write_transaction
from iq_runtime.per_record import per_record

metadata = sa.MetaData()
visits = sa.Table(
    "per_record_visits", metadata,
    Column("visit_id", sa.Uuid, primary_key=True),
    Column("region", sa.String(5), nullable=False),
    Column("on_day", sa.Date, nullable=False),
    Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    Column("regulated", sa.Boolean, nullable=False),
    Column("details", sa.JSON, nullable=True),
    Column("retracted_at", sa.DateTime(timezone=True), nullable=True),
)
counted = sa.Table("per_record_counted", metadata, Column("id", sa.Integer, primary_key=True),
                   Column("kind", sa.String, default="plain"))  # a default computed in Python

ADD = per_record(insert(visits))
BY_REGION = per_record(select(visits).where(visits.c.region == bindparam("region")).order_by(visits.c.on_day))
RETRACT = per_record(update(visits).where(visits.c.visit_id == bindparam("id"))
                     .values(retracted_at=bindparam("at")))


@pytest.fixture
async def sessions(database_url):
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
        await connection.run_sync(metadata.create_all)
    yield session_factory(engine)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
    await dispose(engine)


def visit(**changes) -> dict:
    return {"visit_id": uuid4(), "region": "DE-NW", "on_day": date(2026, 3, 2),
            "recorded_at": datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC), "regulated": True,
            "details": {"mode": "video", "n": [1, 2]}} | changes


async def add(sessions, *rows: dict) -> None:
    async with write_transaction(sessions) as connection:
        await connection.execute(ADD, rows[0] if len(rows) == 1 else list(rows))
        await connection.commit()


async def test_rows_stored_by_a_per_record_insert_read_back_as_sqlalchemy_reads_them(sessions):
    first, second = visit(), visit(region="DE-BY", on_day=date(2025, 12, 31), regulated=False, details=None)
    await add(sessions, first)
    await add(sessions, second)
    async with sessions() as session:  # SQLAlchemy's own path reads what the driver path wrote
        rows = {row.visit_id: row._asdict() for row in (await session.execute(select(visits))).all()}
    assert rows[first["visit_id"]] | {"recorded_at": None} == first | {"recorded_at": None, "retracted_at": None}
    assert rows[first["visit_id"]]["recorded_at"].replace(tzinfo=UTC) == first["recorded_at"]
    assert rows[second["visit_id"]]["regulated"] is False and rows[second["visit_id"]]["details"] is None


async def test_a_per_record_select_gives_typed_rows_by_name(sessions):
    await add(sessions, visit(on_day=date(2026, 5, 1)), visit(on_day=date(2026, 1, 7)), visit(region="DE-BY"))
    async with reading(sessions) as connection:
        rows = (await connection.execute(BY_REGION, {"region": "DE-NW"})).all()
        missing = (await connection.execute(BY_REGION, {"region": "DE-HH"})).first()
    assert [row.on_day for row in rows] == [date(2026, 1, 7), date(2026, 5, 1)]
    assert all(isinstance(row.recorded_at, datetime) and row.regulated is True for row in rows)
    assert rows[0].details == {"mode": "video", "n": [1, 2]}
    assert missing is None


async def test_a_per_record_update_reports_the_rows_it_changed(sessions):
    stored = visit()
    await add(sessions, stored)
    at = datetime(2026, 4, 1, 12, tzinfo=UTC)
    async with write_transaction(sessions) as connection:
        changed = await connection.execute(RETRACT, {"id": stored["visit_id"], "at": at})
        unknown = await connection.execute(RETRACT, {"id": uuid4(), "at": at})
        await connection.commit()
    assert (changed.rowcount, unknown.rowcount) == (1, 0)
    async with reading(sessions) as connection:
        (row,) = (await connection.execute(BY_REGION, {"region": "DE-NW"})).all()
    assert row.retracted_at.replace(tzinfo=UTC) == at


async def test_a_duplicate_key_raises_sqlalchemys_integrity_error_and_stores_nothing_of_that_writer(sessions):
    stored = visit()
    await add(sessions, stored)
    with pytest.raises(exc.IntegrityError):
        await add(sessions, visit(), visit(visit_id=stored["visit_id"]))
    async with reading(sessions) as connection:
        assert len((await connection.execute(BY_REGION, {"region": "DE-NW"})).all()) == 1


async def test_a_missing_parameter_is_an_error_not_a_null(sessions):
    row = visit()
    del row["region"]
    with pytest.raises((KeyError, exc.StatementError)):
        await add(sessions, row)


async def test_a_statement_whose_defaults_are_computed_in_python_is_refused_on_sqlite(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/defaults.db")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    sessions = session_factory(engine)
    try:
        async with write_transaction(sessions) as connection:
            with pytest.raises(ValueError, match="defaults computed in Python"):
                await connection.execute(per_record(insert(counted)), {"id": 1})
    finally:
        await dispose(engine)
