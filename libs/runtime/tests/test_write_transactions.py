"""Write transactions on a SQLite file: writers that finish in one turn of the event loop
commit together, yet each keeps the semantics of its own transaction (its rows are stored
when its commit returns, a writer that fails leaves nothing, a failed COMMIT fails every
member). Real SQLite files, no fakes."""

import asyncio

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, insert, select

from iq_runtime.database import create_engine, dispose, session_factory, write_transaction

metadata = MetaData()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True), Column("text", String))
# checked at COMMIT, not per statement: the one way to make a COMMIT itself fail on demand
links = Table("links", metadata, Column("id", Integer, primary_key=True),
              Column("note_id", Integer, ForeignKey("notes.id", deferrable=True, initially="DEFERRED")))


@pytest.fixture
async def sessions(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/writes.db")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield session_factory(engine)
    await dispose(engine)


async def write(sessions, table: Table, fail: bool = False, **row) -> None:
    async with write_transaction(sessions) as connection:
        await connection.execute(insert(table).values(**row))
        if fail:
            raise RuntimeError("the writer fails after writing")
        await connection.commit()


async def stored(sessions, table: Table) -> list[int]:
    async with sessions() as session:
        return sorted((await session.execute(select(table.c.id))).scalars())


async def test_concurrent_writers_are_all_stored_when_their_commits_return(sessions):
    await asyncio.gather(*(write(sessions, notes, id=i, text="x") for i in range(20)))
    assert await stored(sessions, notes) == list(range(20))


async def test_a_writer_that_fails_leaves_nothing_and_the_others_commit(sessions):
    results = await asyncio.gather(write(sessions, notes, id=1), write(sessions, notes, id=2, fail=True),
                                   write(sessions, notes, id=3), return_exceptions=True)
    assert [type(r) for r in results] == [type(None), RuntimeError, type(None)]
    assert await stored(sessions, notes) == [1, 3]


async def test_a_statement_error_rolls_back_that_writer_only(sessions):
    await write(sessions, notes, id=1)
    results = await asyncio.gather(write(sessions, notes, id=2), write(sessions, notes, id=1),
                                   return_exceptions=True)
    assert results[0] is None and "UNIQUE" in str(results[1])
    assert await stored(sessions, notes) == [1, 2]


async def test_when_the_commit_fails_every_writer_of_the_group_fails_and_nothing_is_stored(sessions):
    results = await asyncio.gather(write(sessions, notes, id=1), write(sessions, links, id=1, note_id=99),
                                   return_exceptions=True)
    assert all("FOREIGN KEY" in str(result) for result in results), results
    assert await stored(sessions, notes) == [] and await stored(sessions, links) == []
    await write(sessions, notes, id=2)  # and the next writer starts afresh
    assert await stored(sessions, notes) == [2]


async def test_savepoints_inside_a_writer_roll_back_alone(sessions):
    async with write_transaction(sessions) as connection:
        await connection.execute(insert(notes).values(id=1))
        savepoint = await connection.begin_nested()
        await connection.execute(insert(notes).values(id=2))
        await savepoint.rollback()
        await connection.execute(insert(notes).values(id=3))
        await connection.commit()
    assert await stored(sessions, notes) == [1, 3]


async def test_a_second_write_transaction_in_the_same_task_is_refused_rather_than_waiting_for_ever(sessions):
    async with write_transaction(sessions) as connection:
        with pytest.raises(RuntimeError, match="inside a write transaction already"):
            async with write_transaction(sessions):
                pass
        await connection.execute(insert(notes).values(id=1))
        await connection.commit()
    assert await stored(sessions, notes) == [1]
