"""A synchronous SQLite connection behind the awaitable methods of `AsyncConnection` that
repositories, the outbox and bulk import use: every call completes before it returns (see
`sqlite_writer` for why that is right for SQLite)."""

import itertools
import sqlite3

from sqlalchemy import Connection

from . import per_record

_names = itertools.count()


class Savepoint:
    """A SAVEPOINT on the driver's connection. Transactions on these connections are
    controlled at the driver (BEGIN IMMEDIATE, group commit), so savepoints are too."""

    def __init__(self, driver: sqlite3.Connection) -> None:
        self._driver = driver
        self._name = f"iq_{next(_names)}"
        driver.execute(f"SAVEPOINT {self._name}")
        self._active = True

    def release(self) -> None:
        self._driver.execute(f"RELEASE {self._name}")
        self._active = False

    def discard(self) -> sqlite3.Error | None:
        """Roll back, unless released; the error if the transaction itself is gone."""
        if not self._active:
            return None
        self._active = False
        try:
            self._driver.execute(f"ROLLBACK TO {self._name}")
            self._driver.execute(f"RELEASE {self._name}")
        except sqlite3.Error as exc:
            return exc
        return None

    async def commit(self) -> None:
        self.release()

    async def rollback(self) -> None:
        if (failure := self.discard()) is not None:
            raise failure


class OnLoopConnection:
    def __init__(self, connection: Connection) -> None:
        self.sync_connection = connection

    async def execute(self, statement, parameters=None, **kw):
        if not kw and per_record.is_per_record(statement):
            connection = self.sync_connection
            return per_record.execute(connection.connection.driver_connection, connection.dialect, statement,
                                      parameters)
        return self.sync_connection.execute(statement, parameters, **kw)

    async def scalar(self, statement, parameters=None, **kw):
        return self.sync_connection.scalar(statement, parameters, **kw)

    async def scalars(self, statement, parameters=None, **kw):
        return self.sync_connection.scalars(statement, parameters, **kw)

    async def begin_nested(self) -> Savepoint:
        return self.begin_savepoint()

    def begin_savepoint(self) -> Savepoint:
        return Savepoint(self.sync_connection.connection.driver_connection)
