"""A unit of work in memory, so the handlers and rules run without I/O."""

from datetime import UTC, datetime

from iq_fair_integration.domain import Recorded
from iq_runtime.context import HandlerContext

NOW = datetime(2019, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Berlin


class FakeRecords:
    def __init__(self) -> None:
        self.rows: dict = {}  # record id -> (latest event, citizenship kept beside it)
        self.retracted: dict = {}

    async def recorded(self, record_id) -> Recorded | None:
        if record_id not in self.rows:
            return None
        event, _ = self.rows[record_id]
        return Recorded(region=event.region.value,  # a plain string, as the database gives it
                         occurred_on=event.occurred_on, retracted=record_id in self.retracted)

    async def add(self, event, citizenship: str | None = None) -> None:
        self.rows[getattr(event, event.key_field)] = (event, citizenship)

    correct = add

    async def retract(self, event) -> None:
        self.retracted[getattr(event, event.key_field)] = event


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.advice_sessions = FakeRecords()
        self.group_events = FakeRecords()
        self.referrals = FakeRecords()
        self.published: list = []
        self.committed = False
        self._pending: list = []

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self._pending = []

    def publish(self, *events) -> None:
        self._pending.extend(events)

    async def commit(self) -> None:
        self.published.extend(self._pending)
        self._pending = []
        self.committed = True

    def nothing_changed(self) -> bool:
        return not (self.published or self.committed or any(
            records.rows or records.retracted for records in (self.advice_sessions, self.group_events,
                                                              self.referrals)))


def context(region: str = "DE-NW") -> HandlerContext:
    return HandlerContext(region=region, now=lambda: NOW,
                          pseudonymise=lambda where, local_id: f"{hash((where, local_id)) % 16**64:064x}")
