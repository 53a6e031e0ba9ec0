"""One transaction per use case: domain rows and outbox rows commit together or not at all."""

from collections.abc import Callable

from sqlalchemy.ext.asyncio import async_sessionmaker

from iq_contracts.base import IntegrationEvent

from .database import WriteConnection, write_transaction
from .outbox import Outbox


class UnitOfWork:
    """Base of each service's unit of work; a service adds its repositories in `_begin`.
    It is a write transaction: on SQLite it waits for the writers before it first.
    Repositories run Core statements on `connection` (no ORM session: its per-statement
    bookkeeping bought nothing for tables written with Core)."""

    connection: WriteConnection

    def __init__(self, sessions: async_sessionmaker, outbox: Outbox, on_commit: Callable[[], None]) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._on_commit = on_commit
        self.events: list[IntegrationEvent] = []

    async def __aenter__(self):
        self._transaction = write_transaction(self._sessions)
        self.connection = await self._transaction.__aenter__()
        self.events = []
        self._begin(self.connection)
        return self

    def _begin(self, connection: WriteConnection) -> None:
        """Attach repositories to the transaction's connection."""

    def publish(self, *events: IntegrationEvent) -> None:
        self.events.extend(events)

    async def commit(self) -> None:
        await self._outbox.stage(self.connection, self.events)
        await self.connection.commit()
        self.events = []
        self._on_commit()

    async def __aexit__(self, *exc) -> None:
        # rolls back whatever was not committed and gives the next writer its turn
        await self._transaction.__aexit__(*exc)
