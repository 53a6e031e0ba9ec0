"""Commands on PostgreSQL while another command on the same record is open: the later one waits
for it and then sees what it committed (SQLite's writers always take turns)."""

import asyncio
from dataclasses import replace

import pytest

from iq_contracts.codes import StakeholderType
from iq_stakeholders import handlers
from iq_stakeholders.bootstrap import MIGRATIONS, Settings
from iq_stakeholders.commands import RecordActivity, RecordConsultation, RegisterOrganisation, Retract
from iq_stakeholders.store import Consultations, Organisations, tables
from tests.pg_locks import recording_on, second_behind_first, waiting_for_a_lock

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


async def _while_correcting_the_type(recording, agency, second, monkeypatch):
    """`handlers.correct_organisation` (to an employment agency) and `second()`: the correction
    holds the organisation, and reads its consultations only once the second waits for a lock.
    Both results, or the first error (a deadlock, or a second that never waited)."""
    holding = asyncio.Event()
    read_standing = Consultations.standing_of

    async def standing_once_the_second_waits(self, organisation_id):
        holding.set()
        await waiting_for_a_lock(recording.sessions)
        return await read_standing(self, organisation_id)

    monkeypatch.setattr(Consultations, "standing_of", standing_once_the_second_waits)
    body = RegisterOrganisation.model_validate(organisation_body(code=agency.code, type="employment_agency"))
    correction = asyncio.create_task(handlers.correct_organisation(
        agency.organisation_id, body, recording.unit_of_work(), recording.context, lambda _region: None))
    await holding.wait()
    return await asyncio.gather(correction, second())


async def _agency_registered_as_sme(recording):
    return await handlers.register_organisation(
        RegisterOrganisation.model_validate(organisation_body(code="arbeitsagentur-bonn", type="sme")),
        recording.unit_of_work(), recording.context)


async def test_a_consultation_recorded_during_the_correction_of_its_organisation_gets_the_new_type(
        database_url, monkeypatch):
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        agency = await _agency_registered_as_sme(recording)
        (_, corrections), held = await _while_correcting_the_type(
            recording, agency, lambda: handlers.record_consultation(
                RecordConsultation.model_validate(consultation_body(organisation_code=agency.code)),
                recording.unit_of_work(), recording.context), monkeypatch)
        assert corrections == []  # it came after: nothing to correct, and recorded with the new type
        assert (held.organisation_type, held.target_group) == ("employment_agency", "labour_market")


async def test_a_consultation_corrected_during_the_correction_of_its_organisation_does_not_deadlock(
        database_url, monkeypatch):
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        agency = await _agency_registered_as_sme(recording)
        held = await handlers.record_consultation(
            RecordConsultation.model_validate(consultation_body(organisation_code=agency.code)),
            recording.unit_of_work(), recording.context)
        body = RecordConsultation.model_validate(consultation_body(organisation_code=agency.code,
                                                                   topic="anti_discrimination"))
        # the consultation's correction takes the organisation's lock before the consultation's,
        # as the organisation's correction does; the other way round PostgreSQL finds a deadlock
        (_, [reclassified]), corrected = await _while_correcting_the_type(
            recording, agency, lambda: handlers.correct_consultation(
                held.consultation_id, body, recording.unit_of_work(), recording.context, lambda _region: None),
            monkeypatch)
        assert reclassified.consultation_id == corrected.consultation_id == held.consultation_id
        assert (corrected.organisation_type, corrected.topic) == ("employment_agency", "anti_discrimination")


async def test_two_corrections_of_one_organisation_take_turns(database_url, monkeypatch):
    # each reads the organisation for update: two that only shared it would both wait to write it
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        agency = await _agency_registered_as_sme(recording)
        write = Organisations.correct
        first_writes = asyncio.Event()

        async def first_one_writes_once_the_second_waits(self, organisation, corrected_at):
            if not first_writes.is_set():
                first_writes.set()
                await waiting_for_a_lock(recording.sessions)
            await write(self, organisation, corrected_at)

        monkeypatch.setattr(Organisations, "correct", first_one_writes_once_the_second_waits)

        def correcting(**overrides):
            body = RegisterOrganisation.model_validate(organisation_body(code=agency.code) | overrides)
            return handlers.correct_organisation(agency.organisation_id, body, recording.unit_of_work(),
                                                 recording.context, lambda _region: None)

        first = asyncio.create_task(correcting(type="employment_agency"))
        await first_writes.wait()
        (typed, _), (renamed, _) = await asyncio.gather(first, correcting(type="employment_agency", name="Agentur"))
        assert (typed.type, renamed.type, renamed.name) == ("employment_agency", "employment_agency", "Agentur")
