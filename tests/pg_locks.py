"""Waiting, in a test, until a PostgreSQL session of the database waits for a row or
advisory lock: the moment a second transaction is known to be queued behind a first."""

import asyncio
import contextlib

from sqlalchemy import text


async def waiting_for_a_lock(sessions, seconds: float = 10) -> None:
    query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND wait_event_type = 'Lock'")
    for _ in range(int(seconds / 0.05)):
        async with sessions() as session:
            if await session.scalar(query):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the second transaction never waited for the first")


async def second_behind_first(sessions, unit_of_work, first_step, second):
    """`first_step(uow)` runs in an open transaction (its locks held) while `second()` starts;
    the first commits once the second waits. What `second()` then returns (or raises)."""
    first = unit_of_work()
    await first.__aenter__()
    try:
        await first_step(first)
        queued = asyncio.create_task(second())
        await waiting_for_a_lock(sessions)
        await first.commit()
    finally:
        await first.__aexit__(None, None, None)
    return await queued


@contextlib.asynccontextmanager
async def recording_on(database_url: str, migrations, settings: type, tables):
    """A recording service's handlers' wiring (unit of work, context) on a migrated database."""
    from iq_runtime.database import create_engine, dispose, session_factory
    from iq_runtime.migrations import upgrade
    from iq_runtime.recording import Recording

    upgrade(migrations, database_url)
    engine = create_engine(database_url)
    try:
        yield Recording(settings(database_url=database_url), session_factory(engine), tables)
    finally:
        await dispose(engine)
