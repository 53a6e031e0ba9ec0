"""Async SQLAlchemy engines for SQLite (default) and PostgreSQL, from one kind of URL, and
the gate every write transaction passes (one writer at a time on SQLite)."""

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine

from . import json_columns, sqlite_driver
from .sqlite_connection import OnLoopConnection
from .sqlite_writer import SQLiteWriter

# What a write transaction's statements run on (repositories are given it)
WriteConnection = AsyncConnection | OnLoopConnection
_writers: weakref.WeakKeyDictionary[AsyncEngine, SQLiteWriter] = weakref.WeakKeyDictionary()
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str) -> str:
    """Accept plain `sqlite:///…` and `postgresql://…` URLs and pick the async driver."""
    parsed = make_url(url)
    if parsed.drivername in _ASYNC_DRIVERS:
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str) -> AsyncEngine:
    url = async_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # No pre-ping: it is a round trip on every checkout, for every request. After a database
    # restart the first statement on a stale connection fails instead (that request answers
    # 500 and stores nothing; the relay retries), and SQLAlchemy then discards every pooled
    # connection, so the next ones connect afresh.
    return create_async_engine(url, pool_size=10, max_overflow=10, **json_columns.ENGINE_OPTIONS)


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file, not the directory it lives in."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(url: str) -> AsyncEngine:
    ensure_sqlite_directory(url)
    # the aiosqlite dialect over a connection that runs each call on the loop (sqlite_driver)
    engine = create_async_engine(url, async_creator=sqlite_driver.connector(make_url(url).database or ":memory:"),
                                 **json_columns.ENGINE_OPTIONS)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # The driver's own implicit transactions break SAVEPOINTs (bulk import uses one per
        # row), so it is switched off and SQLAlchemy's "begin" emits BEGIN itself.
        dbapi_connection.isolation_level = None
        sqlite_driver.set_pragmas(dbapi_connection)

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection):
        # A writer takes the write lock at once: a deferred transaction that reads first can
        # not upgrade after another connection committed (SQLITE_BUSY, no retry).
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE) else "BEGIN")

    database = make_url(url).database
    if database and database != ":memory:":  # a second connection to :memory: is another database
        _writers[engine] = SQLiteWriter(database)
    return engine


async def dispose(engine: AsyncEngine) -> None:
    """Close the engine's connections, its SQLite writer's too."""
    if (writer := _writers.pop(engine, None)) is not None:
        writer.dispose()
    await engine.dispose()


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


WRITE = "iq_write"  # execution option of a session that writes (see `WriteGate`)


class WriteGate:
    """SQLite has one writer at a time. Left to the driver, concurrent writers wait in its
    busy handler, which sleeps in growing steps (p99 of seconds under load); queueing them
    here instead hands the lock over at once and in order. On PostgreSQL it is open. (The
    writers of a SQLite file take turns in `sqlite_writer` instead; this gate serves an
    in-memory database.) Re-entrant within a task, so a use case may call another that writes."""

    def __init__(self, exclusive: bool) -> None:
        self.exclusive = exclusive
        # an asyncio.Lock belongs to one event loop; tests run several loops in turn
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()
        self._owner: asyncio.Task | None = None

    @contextlib.asynccontextmanager
    async def __call__(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if not self.exclusive or self._owner is task:
            yield
            return
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop) or self._locks.setdefault(loop, asyncio.Lock())
        async with lock:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None


_gates: weakref.WeakKeyDictionary[AsyncEngine, WriteGate] = weakref.WeakKeyDictionary()


def write_gate(sessions: async_sessionmaker) -> WriteGate:
    """The gate of the sessions' engine (one per engine, so per database in a process)."""
    engine = sessions.kw["bind"]
    gate = _gates.get(engine)
    if gate is None:
        gate = _gates[engine] = WriteGate(exclusive=engine.dialect.name == "sqlite")
    return gate


@contextlib.asynccontextmanager
async def reading(sessions: async_sessionmaker) -> AsyncIterator[WriteConnection]:
    """A connection for reads of the outbox relay's kind (short, outside a write
    transaction); on a SQLite file it runs on the loop, like the writes."""
    if (writer := _writers.get(sessions.kw["bind"])) is not None:
        with writer.reading() as connection:
            yield connection
    else:
        async with sessions.kw["bind"].connect() as connection:
            yield connection


def write_transaction(sessions: async_sessionmaker) -> contextlib.AbstractAsyncContextManager[WriteConnection]:
    """A connection in a write transaction; the caller commits, anything else is rolled
    back. On a SQLite file it runs on the loop and writers take turns in `sqlite_writer`
    (which commits them in groups); elsewhere they pass the write gate."""
    if (writer := _writers.get(sessions.kw["bind"])) is not None:
        return writer.transaction()
    return _gated_transaction(sessions)


@contextlib.asynccontextmanager
async def _gated_transaction(sessions: async_sessionmaker) -> AsyncIterator[AsyncConnection]:
    async with write_gate(sessions)(), sessions.kw["bind"].connect() as connection:
        await connection.execution_options(**{WRITE: True})
        await connection.begin()
        yield connection
