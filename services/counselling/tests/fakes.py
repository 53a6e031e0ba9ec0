"""A fake unit of work for the handler tests: repositories in memory, commit flips a flag."""

import dataclasses
from datetime import UTC, datetime

from iq_counselling.domain import ContactPoint, SessionOnRecord
from iq_runtime.context import HandlerContext

NOW = datetime(2019, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Berlin


class FakeAdviceSessions:
    def __init__(self) -> None:
        self.rows: dict = {}  # session id -> the last event that set its state
        self.retracted: set = set()

    async def add(self, event) -> None:
        self.rows[event.session_id] = event

    async def correct(self, event) -> None:
        self.rows[event.session_id] = event

    async def retract(self, event) -> None:
        self.retracted.add(event.session_id)

    async def on_record(self, session_id) -> SessionOnRecord | None:
        event = self.rows.get(session_id)
        return event and SessionOnRecord(session_id=session_id, region=event.region,
                                         occurred_on=event.occurred_on, retracted=session_id in self.retracted)

    async def session_days(self, region, contact_point):
        days = [e.occurred_on for e in self.rows.values() if (e.region, e.contact_point) == (region, contact_point)
                and e.session_id not in self.retracted]
        return (min(days), max(days)) if days else None


class FakeContactPoints:
    def __init__(self, *known: ContactPoint) -> None:
        self.rows = {(point.region, point.code): point for point in known}

    async def add(self, event) -> None:
        self.rows[(event.region, event.contact_point)] = ContactPoint(
            region=event.region, code=event.contact_point, type=event.contact_point_type, opened_on=event.occurred_on)

    async def close(self, event) -> None:
        self._replace(event, closed_on=event.occurred_on)

    async def correct(self, event) -> None:
        self._replace(event, type=event.contact_point_type, opened_on=event.occurred_on, closed_on=event.closed_on)

    async def retract(self, event) -> None:
        self._replace(event, retracted=True)

    def _replace(self, event, **changes) -> None:
        key = (event.region, event.contact_point)
        self.rows[key] = dataclasses.replace(self.rows[key], **changes)

    async def get(self, region, code) -> ContactPoint | None:
        return self.rows.get((region, code))


class FakeUnitOfWork:
    def __init__(self, *contact_points: ContactPoint) -> None:
        self.advice_sessions = FakeAdviceSessions()
        self.contact_points = FakeContactPoints(*contact_points)
        self.published: list = []
        self.committed = False
        self._pending: list = []

    async def __aenter__(self):
        self.committed = False
        return self

    async def __aexit__(self, *exc):
        self._pending = []

    def publish(self, *events) -> None:
        self._pending.extend(events)

    async def commit(self) -> None:
        self.published.extend(self._pending)
        self.committed = True


def context(region: str = "DE-NW", now: datetime = NOW) -> HandlerContext:
    return HandlerContext(region=region, now=lambda: now,
                          pseudonymise=lambda where, local_id: f"{hash((where, local_id)) % 16**64:064x}")
