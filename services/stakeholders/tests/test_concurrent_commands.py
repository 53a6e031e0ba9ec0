"""Commands on PostgreSQL while another command on the same record is open: the later one waits
for it and then sees what it committed (SQLite's writers always take turns)."""

from dataclasses import replace

import pytest

from iq_contracts.codes import StakeholderType
from iq_stakeholders import handlers
from iq_stakeholders.bootstrap import MIGRATIONS, Settings
from iq_stakeholders.commands import RecordActivity, RecordConsultation, RegisterOrganisation, Retract
from iq_stakeholders.store import tables
from tests.pg_locks import recording_on, second_behind_first

from .conftest import activity_body, consultation_body, organisation_body

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


async def test_a_consultation_waits_for_a_correction_of_its_organisation(database_url):
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        agency = await handlers.register_organisation(
            RegisterOrganisation.model_validate(organisation_body(code="arbeitsagentur-bonn", type="sme")),
            recording.unit_of_work(), recording.context)

        async def correcting_the_type(uow):  # as correct_organisation does first
            current = await uow.organisations.get(agency.organisation_id, for_correction=True)
            await uow.organisations.correct(replace(current, type=StakeholderType.EMPLOYMENT_AGENCY),
                                            corrected_at=recording.context.now())

        held = await second_behind_first(
            recording.sessions, recording.unit_of_work, correcting_the_type,
            lambda: handlers.record_consultation(
                RecordConsultation.model_validate(consultation_body(organisation_code="arbeitsagentur-bonn")),
                recording.unit_of_work(), recording.context))
        # not the type being replaced, which no correction would ever reach
        assert (held.organisation_type, held.target_group) == ("employment_agency", "labour_market")
