"""Two commands on one scheme or enrolment at the same moment, on PostgreSQL: the second
waits for the first and then checks its rules against what the first committed, instead of
both passing their checks (SQLite's writers always take turns)."""

import pytest
from sqlalchemy import text

from iq_runtime.errors import Rejected
from iq_training import handlers
from iq_training.bootstrap import MIGRATIONS, Settings
from iq_training.commands import CorrectScheme, OpenScheme, RetractStart
from iq_training.store import tables
from tests.pg_locks import recording_on
from tests.pg_locks import second_behind_first as behind

from .conftest import scheme_body
from .test_participants import completion, enrolment

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
async def recording(database_url):
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        yield recording


async def committed(recording, command):
    return await handlers.handle(command, recording.unit_of_work(), recording.context)


def second_behind_first(recording, first_command, second_command):
    def first_step(uow):
        return handlers.ADD[type(first_command)](first_command, uow, recording.context)
    return behind(recording.sessions, recording.unit_of_work, first_step, lambda: committed(recording, second_command))


async def test_one_person_enrolled_twice_at_the_same_moment_is_enrolled_once(recording):
    scheme = await committed(recording, OpenScheme.model_validate(scheme_body()))
    with pytest.raises(Rejected) as refused:
        await second_behind_first(recording, enrolment(scheme.scheme_id), enrolment(scheme.scheme_id))
    assert refused.value.field == "person_id"


async def test_a_start_retracted_while_it_is_completed_is_not_completed_too(recording):
    scheme = await committed(recording, OpenScheme.model_validate(scheme_body()))
    start = await committed(recording, enrolment(scheme.scheme_id))
    retraction = RetractStart.model_validate({"region": "DE-NW", "enrolment_id": start.enrolment_id,
                                              "reason": "entered_in_error"})
    with pytest.raises(Rejected) as refused:
        await second_behind_first(recording, retraction, completion(start.enrolment_id))
    assert "retracted" in refused.value.reason


async def test_a_scheme_corrected_while_a_start_is_retracted_does_not_correct_the_start_back(recording):
    """The scheme correction re-publishes its standing starts; one retracted at the same moment
    is not among them (it would count as commencing again)."""
    scheme = await committed(recording, OpenScheme.model_validate(scheme_body()))
    start = await committed(recording, enrolment(scheme.scheme_id))
    retraction = RetractStart.model_validate({"region": "DE-NW", "enrolment_id": start.enrolment_id,
                                              "reason": "entered_in_error"})
    correction = CorrectScheme.model_validate(scheme_body(measure_type="compensatory_measure")
                                              | {"scheme_id": scheme.scheme_id})
    await second_behind_first(recording, retraction, correction)
    async with recording.sessions() as session:
        published = (await session.execute(text("SELECT headers FROM outbox ORDER BY position"))).scalars().all()
    types = [dict(headers)["ce_type"].split(".")[-2] for headers in published]
    assert types == ["SchemeOpened", "SchemeStarted", "SchemeStartRetracted", "SchemeCorrected"]  # no start
    # corrected after its retraction
