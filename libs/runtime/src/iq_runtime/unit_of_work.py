"""One transaction per use case: domain rows and outbox rows commit together or not at all."""

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from iq_contracts.base import IntegrationEvent

from .outbox import Outbox


class UnitOfWork:
    """Base of each service's unit of work; a service adds its repositories in `_begin`."""

    session: AsyncSession

    def __init__(self, sessions: async_sessionmaker, outbox: Outbox, on_commit: Callable[[], None]) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._on_commit = on_commit
        self.events: list[IntegrationEvent] = []

    async def __aenter__(self):
        self.session = self._sessions()
        self.events = []
        self._begin(self.session)
        return self

    def _begin(self, session: AsyncSession) -> None:
        """Attach repositories to the session."""

    def publish(self, *events: IntegrationEvent) -> None:
        self.events.extend(events)

    async def commit(self) -> None:
        await self._outbox.stage(self.session, self.events)
        await self.session.commit()
        self.events = []
        self._on_commit()

    async def __aexit__(self, *exc) -> None:
        await self.session.rollback()  # no-op after a commit; discards everything otherwise
        await self.session.close()
