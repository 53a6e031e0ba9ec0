"""Write transactions on SQLite without SQLAlchemy's async layer.

The async engine adapts a driver to SQLAlchemy's synchronous core by running that core in
a greenlet and switching out of it for every driver call: about 35 greenlet switches per
recorded session, the largest single cost of a recording once the SQLite work itself ran
on the loop (`sqlite_driver`). SQLite is a library in the process, its statements take
microseconds, so write transactions here use a synchronous engine on the same file and
run their statements directly on the loop's thread (`sqlite_connection`), and the writers
that finish in one turn of the loop commit together (`group_commit`).

The one wait a writer can meet is another process holding the write lock (a CLI import,
a migration): `BEGIN IMMEDIATE` then waits for it on a worker thread, so the loop never
stalls. Once it holds the lock, nothing in the transaction waits in WAL mode: reads never
block, and the commit appends to the log."""

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator
from functools import partial

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from . import json_columns
from .group_commit import GroupCommit, Member
from .sqlite_connection import OnLoopConnection
from .sqlite_driver import BUSY_TIMEOUT_SECONDS, set_pragmas


class SQLiteWriter:
    """Write transactions on one SQLite file, run on the event loop."""

    def __init__(self, database: str) -> None:
        # isolation_level=None: the driver's implicit transactions are off (they break
        # SAVEPOINTs); a group begins one itself. Two connections serve: the writers'
        # group and the relay's reads beside it; more are opened rather than waited for
        # (a synchronous pool's wait would block the loop).
        connect = partial(sqlite3.connect, database, timeout=0, check_same_thread=False, isolation_level=None)
        self.engine: Engine = create_engine(f"sqlite:///{database}", creator=connect, poolclass=QueuePool,
                                            pool_size=2, max_overflow=-1, **json_columns.ENGINE_OPTIONS)
        event.listen(self.engine, "connect", lambda dbapi_connection, _record: set_pragmas(dbapi_connection))
        self._groups = GroupCommit(self._begin)

    @contextlib.contextmanager
    def reading(self) -> Iterator[OnLoopConnection]:
        """A connection for reads outside a write transaction (in WAL they never wait)."""
        with self.engine.connect() as connection:
            yield OnLoopConnection(connection)

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Member]:
        """A write transaction (one member of a group); the caller commits, anything else
        is rolled back. Writers of the process take turns here."""
        return self._groups.member()

    async def _begin(self) -> Connection:
        connection = self.engine.connect()
        try:
            await _begin_immediate(connection.connection.driver_connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def dispose(self) -> None:
        self.engine.dispose()


async def _begin_immediate(driver_connection: sqlite3.Connection) -> None:
    """Take the write lock now (a deferred transaction that reads first could not upgrade
    after another connection committed); if another process holds it, wait off the loop."""
    try:
        driver_connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
            raise
        await asyncio.to_thread(_begin_waiting, driver_connection)


def _begin_waiting(driver_connection: sqlite3.Connection) -> None:
    driver_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    try:
        driver_connection.execute("BEGIN IMMEDIATE")
    finally:
        driver_connection.execute("PRAGMA busy_timeout = 0")
