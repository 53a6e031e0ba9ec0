"""A retraction of an activity while another command on it is open, on PostgreSQL: the
retraction waits for it and then sees what it committed (SQLite's writers always take turns)."""

import pytest

from iq_stakeholders import handlers
from iq_stakeholders.bootstrap import MIGRATIONS, Settings
from iq_stakeholders.commands import RecordActivity, Retract
from iq_stakeholders.store import tables
from tests.pg_locks import recording_on, second_behind_first

from .conftest import activity_body

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


async def test_an_activity_is_locked_for_the_command_that_reads_it_first(database_url):
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        held = await handlers.record_activity(RecordActivity.model_validate(activity_body()),
                                              recording.unit_of_work(), recording.context)

        async def reading_the_activity(uow):
            await uow.activities.get(held.activity_id)  # as a correction does first

        retracted = await second_behind_first(
            recording.sessions, recording.unit_of_work, reading_the_activity,
            lambda: handlers.retract_activity(held.activity_id, Retract(reason="entered_in_error"),
                                              recording.unit_of_work(), recording.context, lambda _region: None))
        assert retracted.activity_id == held.activity_id
