"""The counselling rules and the handler, driven with a fake unit of work: no I/O."""

from datetime import UTC, date, datetime

import pytest

from iq_contracts.codes import SessionType
from iq_contracts.events.counselling import AdviceGiven
from iq_counselling import handlers
from iq_counselling.commands import RecordAdviceSession
from iq_runtime.context import HandlerContext
from iq_runtime.errors import Rejected

NOW = datetime(2019, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Berlin


def command(**overrides) -> RecordAdviceSession:
    body = {
        "region": "DE-NW", "contact_point": "koeln-01", "occurred_on": "2019-06-30",
        "kind": "recognition", "mode": "phone",
        "occupation": {"classification": "kldb2010", "code": "81302"},
        "qualification_country": "SY", "occupation_regulated": True, "person_id": "A-17",
    }
    return RecordAdviceSession.model_validate(body | overrides)


class FakeAdviceSessions:
    def __init__(self) -> None:
        self.rows: list[AdviceGiven] = []

    async def add(self, event: AdviceGiven) -> None:
        self.rows.append(event)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.advice_sessions = FakeAdviceSessions()
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
        self.committed = True


def context(region: str = "DE-NW") -> HandlerContext:
    return HandlerContext(region=region, pseudonymise=lambda local_id: f"{hash(local_id) % 16**64:064x}",
                          now=lambda: NOW)


async def test_a_session_is_stored_and_published_together():
    uow = FakeUnitOfWork()
    event = await handlers.record_advice_session(command(), uow, context())
    assert uow.committed
    assert uow.advice_sessions.rows == [event]
    assert uow.published == [event]
    assert (event.region, event.occurred_on, event.recorded_at) == ("DE-NW", date(2019, 6, 30), NOW)


async def test_only_the_pseudonym_of_the_person_leaves_the_handler():
    event = await handlers.record_advice_session(command(person_id="A-17"), FakeUnitOfWork(), context())
    assert "A-17" not in event.model_dump_json()
    assert event.person_ref == context().pseudonymise("A-17")


async def test_a_session_is_initial_unless_said_otherwise():
    event = await handlers.record_advice_session(command(), FakeUnitOfWork(), context())
    follow_up = await handlers.record_advice_session(command(session_type="follow_up"), FakeUnitOfWork(), context())
    assert (event.session_type, follow_up.session_type) == (SessionType.INITIAL, SessionType.FOLLOW_UP)


async def test_today_is_the_day_in_berlin_not_in_utc():
    # 22:30 UTC on 30 June is 00:30 on 1 July in Berlin: a session on 1 July is not in the future
    event = await handlers.record_advice_session(command(occurred_on="2019-07-01"), FakeUnitOfWork(), context())
    assert event.occurred_on == date(2019, 7, 1)


@pytest.mark.parametrize(
    ("overrides", "region", "field"),
    [
        ({"occurred_on": "2019-07-02"}, "DE-NW", "occurred_on"),
        ({"region": "DE-BY"}, "DE-NW", "region"),
    ],
)
async def test_a_rejected_session_stores_and_publishes_nothing(overrides, region, field):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as rejected:
        await handlers.record_advice_session(command(**overrides), uow, context(region))
    assert rejected.value.field == field
    assert (uow.advice_sessions.rows, uow.published, uow.committed) == ([], [], False)


async def test_the_national_instance_records_any_region():
    event = await handlers.record_advice_session(command(region="DE-BY"), FakeUnitOfWork(), context("national"))
    assert event.region == "DE-BY"
