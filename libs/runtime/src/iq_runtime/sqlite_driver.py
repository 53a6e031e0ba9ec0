"""SQLite for the async engine without a thread hop per call.

aiosqlite runs every call (cursor, execute, fetch, close, commit) on a thread of its own and
hands the result back to the event loop; a recording costs about a dozen such hand-overs,
each dearer than the SQLite work it carries (a statement takes microseconds, a WAL commit
without fsync well under a millisecond). This connection keeps aiosqlite's interface, so
SQLAlchemy's aiosqlite dialect drives it unchanged, but runs each call at once on the
event loop's thread. Only when another process holds the database's write lock (a CLI
import, a migration) does the call wait in a worker thread, so the loop never stalls in
SQLite's busy handler; in-process writers queue at `database.WriteGate` instead."""

import asyncio
import sqlite3
from functools import partial

import aiosqlite

BUSY_TIMEOUT_SECONDS = 30


class _AtOnce:
    """Stands in for aiosqlite's queue to its thread (SQLAlchemy also uses it directly)."""

    def put_nowait(self, item) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting caller, like aiosqlite
            if future is not None:
                future.set_exception(exc)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    def __init__(self, connector, iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _AtOnce()

    def __await__(self):
        return self._connect().__await__()  # no worker thread to start

    async def _connect(self) -> "InlineConnection":
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn, *args, **kwargs):
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            # SQLITE_BUSY: the statement did nothing yet, so it can simply run again
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
        return await asyncio.to_thread(self._waiting, fn, args, kwargs)

    def _waiting(self, fn, args, kwargs):
        connection = self._conn
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        try:
            return fn(*args, **kwargs)
        finally:
            connection.execute("PRAGMA busy_timeout = 0")


def set_pragmas(dbapi_connection) -> None:
    """What every connection to a service database needs (run once per new connection)."""
    # WAL lets the relay and the consumer read while a request writes; NORMAL sync is
    # durable across process crashes (not power loss), the usual choice with WAL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def connector(database: str):
    """`async_creator` for `create_async_engine`: a connection to `database` (a path)."""

    async def connect() -> InlineConnection:
        # timeout=0: a busy database raises at once and `_execute` moves the wait off the loop;
        # check_same_thread=False: that wait runs the call on a worker thread
        return await InlineConnection(partial(sqlite3.connect, database, timeout=0, check_same_thread=False),
                                      iter_chunk_size=64)

    return connect
