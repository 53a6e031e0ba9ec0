"""One transaction per use case: domain rows and outbox rows commit together or not at all."""

import contextlib
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from iq_contracts.base import IntegrationEvent

from .database import writing
from .outbox import Outbox


class UnitOfWork:
    """Base of each service's unit of work; a service adds its repositories in `_begin`.
    It is a write transaction: on SQLite it waits for the database's write gate first."""

    session: AsyncSession
    # The session's connection, in the same transaction. Core statements executed on it
    # skip the ORM session's per-statement bookkeeping (about a tenth of a recording's CPU).
    connection: AsyncConnection

    def __init__(self, sessions: async_sessionmaker, outbox: Outbox, on_commit: Callable[[], None]) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._on_commit = on_commit
        self.events: list[IntegrationEvent] = []

    async def __aenter__(self):
        self._transaction = contextlib.AsyncExitStack()
        self.session = await self._transaction.enter_async_context(writing(self._sessions))
        self.connection = await self.session.connection()
        self.events = []
        self._begin(self.session)
        return self

    def _begin(self, session: AsyncSession) -> None:
        """Attach repositories to the session."""

    def publish(self, *events: IntegrationEvent) -> None:
        self.events.extend(events)

    async def commit(self) -> None:
        await self._outbox.stage(self.connection, self.events)
        await self.session.commit()
        self.events = []
        self._on_commit()

    async def __aexit__(self, *exc) -> None:
        try:
            await self.session.rollback()  # no-op after a commit; discards everything otherwise
        finally:
            await self._transaction.aclose()  # closes the session, then opens the gate
