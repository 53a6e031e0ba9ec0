"""Two commands on one contact point or session at the same moment, on PostgreSQL: the
second waits for the first and then checks its rules against what the first committed
(SQLite's writers always take turns)."""

import asyncio

import pytest
from sqlalchemy.exc import IntegrityError

from iq_counselling import handlers
from iq_counselling.bootstrap import MIGRATIONS, Settings
from iq_counselling.commands import CloseContactPoint, RecordAdviceSession, RetractAdviceSession
from iq_counselling.store import tables
from iq_runtime.errors import Rejected
from tests.pg_locks import recording_on, second_behind_first

from .conftest import session_body
from .test_contact_points import opening

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
async def recording(database_url):
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        await handlers.open_contact_point(opening(), recording.unit_of_work(), recording.context)
        yield recording


def closing(recording, closed_on: str):
    return lambda: handlers.close_contact_point("DE-NW", "koeln-01", CloseContactPoint(closed_on=closed_on),
                                                recording.unit_of_work(), recording.context)


async def test_a_contact_point_closed_while_a_later_session_is_recorded_stays_open(recording):
    later = RecordAdviceSession.model_validate(session_body(occurred_on="2019-08-01"))
    with pytest.raises(Rejected) as refused:
        await second_behind_first(recording.sessions, recording.unit_of_work,
                                  lambda uow: handlers.add_advice_session(later, uow, recording.context),
                                  closing(recording, "2019-06-30"))
    assert refused.value.field == "closed_on"


async def test_a_session_retracted_while_it_is_corrected_is_locked_for_the_correction(recording):
    session = await handlers.record_advice_session(RecordAdviceSession.model_validate(session_body()),
                                                   recording.unit_of_work(), recording.context)
    retraction = RetractAdviceSession.model_validate({"reason": "entered_in_error"})

    async def reading_the_session(uow):
        await uow.advice_sessions.on_record(session.session_id)  # as a correction does first

    await second_behind_first(recording.sessions, recording.unit_of_work, reading_the_session,
                              lambda: handlers.retract_advice_session(session.session_id, retraction,
                                                                      recording.unit_of_work(), recording.context))


async def test_the_same_contact_point_opened_twice_at_once_is_stored_once(recording):
    """No row to lock yet: the second waits on the first's new key and then breaks it, which the
    API answers with 409 (iq_runtime.errors, test_conflict_answer.py)."""
    other, uow = opening(code="bonn-01"), recording.unit_of_work
    with pytest.raises(IntegrityError):
        await second_behind_first(recording.sessions, uow,
                                  lambda first: handlers.add_contact_point(other, first, recording.context),
                                  lambda: handlers.open_contact_point(other, uow(), recording.context))


async def test_reading_a_session_does_not_wait_for_a_command_on_it(recording):
    """GET /v1/advice-sessions/{id} reads without a lock, so it neither waits for a correction
    nor holds one up."""
    session = await handlers.record_advice_session(RecordAdviceSession.model_validate(session_body()),
                                                   recording.unit_of_work(), recording.context)
    correcting = recording.unit_of_work()
    await correcting.__aenter__()
    try:
        await correcting.advice_sessions.on_record(session.session_id)  # the correction's lock
        async with recording.unit_of_work() as reader:
            found = await asyncio.wait_for(reader.advice_sessions.get(session.session_id), timeout=5)
        assert found["session_id"] == session.session_id
    finally:
        await correcting.__aexit__(None, None, None)
