"""Participant rules (enrolment, completion, their corrections and retractions) through the
handlers, with a fake unit of work: no I/O."""

from datetime import date
from uuid import UUID

import pytest

from iq_contracts.codes import CompletionOutcome, Gender, Stated
from iq_contracts.events.training import SchemeCompletionCorrected, SchemeStartCorrected
from iq_runtime.errors import Conflict, NotFound, Rejected
from iq_training import handlers
from iq_training.commands import (
    CompleteEnrolment,
    CorrectCompletion,
    CorrectStart,
    EnrolParticipant,
    RetractCompletion,
    RetractScheme,
    RetractStart,
)

from .fakes import FakeUnitOfWork, context
from .test_schemes import opened

UNKNOWN = UUID("8d0f4c1e-0000-4000-8000-000000000000")


def enrolment(scheme_id, /, **overrides) -> EnrolParticipant:
    body = {"region": "DE-NW", "scheme_id": scheme_id, "person_id": "A-17", "started_on": "2019-03-04"}
    return EnrolParticipant.model_validate(body | overrides)


def completion(enrolment_id, command=CompleteEnrolment, /, **overrides):
    body = {"region": "DE-NW", "enrolment_id": enrolment_id, "completed_on": "2019-06-28",
            "outcome": "full_recognition"}
    return command.model_validate(body | overrides)


async def run(uow, cmd, region="DE-NW"):
    return await handlers.handle(cmd, uow, context(region))


@pytest.fixture
async def scheme():
    uow = FakeUnitOfWork()
    event = await opened(uow)
    return uow, event


async def test_a_start_repeats_the_scheme_and_carries_only_the_pseudonym(scheme):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id, esf={"gender": "female", "foreign_background": "yes"}))
    assert uow.published[-1] == started
    assert (started.scheme_id, started.format, started.measure_type, started.occupation) == (
        opened_scheme.scheme_id, opened_scheme.format, opened_scheme.measure_type, opened_scheme.occupation)
    assert (started.occurred_on, started.region) == (date(2019, 3, 4), "DE-NW")
    assert started.person_ref == context().pseudonymise("DE-NW", "A-17") and "A-17" not in started.model_dump_json()
    assert (started.esf.gender, started.esf.foreign_background, started.esf.age_band) == (
        Gender.FEMALE, Stated.YES, "not_stated")


@pytest.mark.parametrize(
    ("overrides", "instance", "error", "field", "reason"),
    [
        ({"started_on": "2019-02-28"}, "DE-NW", Rejected, "started_on", "before the scheme started (2019-03-01)"),
        ({"started_on": "2019-07-02"}, "DE-NW", Rejected, "started_on", "in the future"),
        ({"scheme_id": UNKNOWN}, "DE-NW", NotFound, "scheme_id", "no scheme"),
        ({"region": "DE-BY"}, "national", NotFound, "scheme_id", "no scheme"),  # the scheme is in DE-NW
        ({"region": "DE-BY"}, "DE-NW", Rejected, "region", "records only DE-NW"),
    ],
)
async def test_a_refused_enrolment_stores_and_publishes_nothing(scheme, overrides, instance, error, field, reason):
    uow, opened_scheme = scheme
    with pytest.raises(error) as refused:
        await run(uow, enrolment(opened_scheme.scheme_id, **overrides), instance)
    assert (refused.value.field, reason in refused.value.reason) == (field, True)
    assert (uow.enrolments.rows, uow.published) == ({}, [opened_scheme])


async def test_the_same_person_is_enrolled_once_but_may_be_again_after_a_retraction(scheme):
    uow, opened_scheme = scheme
    first = await run(uow, enrolment(opened_scheme.scheme_id))
    with pytest.raises(Conflict, match="already enrolled") as refused:
        await run(uow, enrolment(opened_scheme.scheme_id, started_on="2019-03-05"))
    assert refused.value.field == "person_id"
    await run(uow, RetractStart(region="DE-NW", enrolment_id=first.enrolment_id, reason="entered_in_error"))
    assert (await run(uow, enrolment(opened_scheme.scheme_id))).person_ref == first.person_ref


async def test_an_individually_tailored_scheme_takes_one_participant():
    uow = FakeUnitOfWork()
    individual = await opened(uow, format="individual")
    await run(uow, enrolment(individual.scheme_id, person_id="A-1"))
    with pytest.raises(Conflict, match="individually tailored"):
        await run(uow, enrolment(individual.scheme_id, person_id="A-2"))
    assert len(uow.enrolments.rows) == 1


async def test_no_one_enrols_in_a_retracted_scheme(scheme):
    uow, opened_scheme = scheme
    await run(uow, RetractScheme(region="DE-NW", scheme_id=opened_scheme.scheme_id, reason="duplicate"))
    with pytest.raises(Conflict, match="was retracted"):
        await run(uow, enrolment(opened_scheme.scheme_id))


async def test_a_completion_repeats_the_start(scheme):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    completed = await run(uow, completion(started.enrolment_id))
    assert (completed.enrolment_id, completed.scheme_id, completed.aggregate_id) == (
        started.enrolment_id, opened_scheme.scheme_id, str(started.enrolment_id))
    assert (completed.started_on, completed.occurred_on, completed.outcome) == (
        date(2019, 3, 4), date(2019, 6, 28), CompletionOutcome.FULL_RECOGNITION)


@pytest.mark.parametrize(
    ("overrides", "error", "field", "reason"),
    [
        ({"completed_on": "2019-03-03"}, Rejected, "completed_on", "before the start on 2019-03-04"),
        ({"completed_on": "2019-07-02"}, Rejected, "completed_on", "in the future"),
        ({"enrolment_id": UNKNOWN}, NotFound, "enrolment_id", "no enrolment"),
    ],
)
async def test_a_refused_completion_stores_and_publishes_nothing(scheme, overrides, error, field, reason):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    with pytest.raises(error) as refused:
        await run(uow, completion(started.enrolment_id, **overrides))
    assert (refused.value.field, reason in refused.value.reason) == (field, True)
    assert uow.published == [opened_scheme, started]
    assert uow.enrolments.rows[started.enrolment_id].completed_on is None


async def test_an_enrolment_is_completed_once(scheme):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    await run(uow, completion(started.enrolment_id))
    with pytest.raises(Conflict, match="already completed on 2019-06-28"):
        await run(uow, completion(started.enrolment_id, outcome="other"))


async def test_a_completion_is_corrected_or_retracted_and_then_recorded_again(scheme):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    for command in (CorrectCompletion, RetractCompletion):  # nothing to correct or retract yet
        with pytest.raises(Conflict, match="has no completion"):
            await run(uow, completion(started.enrolment_id, command) if command is CorrectCompletion else
                      RetractCompletion(region="DE-NW", enrolment_id=started.enrolment_id, reason="other"))
    await run(uow, completion(started.enrolment_id))
    corrected = await run(uow, completion(started.enrolment_id, CorrectCompletion, outcome="discontinued"))
    assert (corrected.outcome, corrected.started_on) == (CompletionOutcome.DISCONTINUED, date(2019, 3, 4))
    retracted = await run(uow, RetractCompletion(region="DE-NW", enrolment_id=started.enrolment_id, reason="other"))
    assert retracted.occurred_on == date(2019, 6, 28)
    assert (await run(uow, completion(started.enrolment_id, outcome="other"))).outcome == CompletionOutcome.OTHER


async def test_a_start_with_a_completion_is_retracted_only_after_the_completion(scheme):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    await run(uow, completion(started.enrolment_id))
    retract_start = RetractStart(region="DE-NW", enrolment_id=started.enrolment_id, reason="duplicate")
    with pytest.raises(Conflict, match="retract it first"):
        await run(uow, retract_start)
    await run(uow, RetractCompletion(region="DE-NW", enrolment_id=started.enrolment_id, reason="duplicate"))
    retracted = await run(uow, retract_start)
    assert (retracted.occurred_on, retracted.scheme_id) == (date(2019, 3, 4), opened_scheme.scheme_id)
    for after in (retract_start, completion(started.enrolment_id)):
        with pytest.raises(Conflict, match="was retracted"):
            await run(uow, after)


async def test_moving_a_completed_start_corrects_the_completion_that_repeats_it(scheme):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    await run(uow, completion(started.enrolment_id))
    correct = CorrectStart(region="DE-NW", enrolment_id=started.enrolment_id, person_id="A-17",
                           started_on="2019-03-11", esf={"age_band": "30_54"})
    await run(uow, correct)
    start, done = uow.published[-2:]
    assert isinstance(start, SchemeStartCorrected) and isinstance(done, SchemeCompletionCorrected)
    assert (start.occurred_on, start.esf.age_band, start.person_ref) == (date(2019, 3, 11), "30_54", started.person_ref)
    assert (done.started_on, done.occurred_on, done.outcome) == (date(2019, 3, 11), date(2019, 6, 28),
                                                                 CompletionOutcome.FULL_RECOGNITION)


@pytest.mark.parametrize(
    ("overrides", "error", "field", "reason"),
    [
        ({"started_on": "2019-06-29"}, Rejected, "started_on", "after the completion on 2019-06-28"),
        ({"started_on": "2019-02-01"}, Rejected, "started_on", "before the scheme started"),
        ({"person_id": "A-2"}, Conflict, "person_id", "already enrolled"),
        ({"enrolment_id": UNKNOWN}, NotFound, "enrolment_id", "no enrolment"),
    ],
)
async def test_a_refused_start_correction_publishes_nothing(scheme, overrides, error, field, reason):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    await run(uow, enrolment(opened_scheme.scheme_id, person_id="A-2"))
    await run(uow, completion(started.enrolment_id))
    published = list(uow.published)
    body = {"region": "DE-NW", "enrolment_id": started.enrolment_id, "person_id": "A-17", "started_on": "2019-03-04"}
    with pytest.raises(error) as refused:
        await run(uow, CorrectStart.model_validate(body | overrides))
    assert (refused.value.field, reason in refused.value.reason) == (field, True)
    assert uow.published == published


async def test_records_of_another_region_are_refused_by_a_regional_instance(scheme):
    uow, opened_scheme = scheme
    started = await run(uow, enrolment(opened_scheme.scheme_id))
    for cmd in (completion(started.enrolment_id, region="DE-BY"),
                RetractStart(region="DE-BY", enrolment_id=started.enrolment_id, reason="wrong_region")):
        with pytest.raises(Rejected, match="records only DE-NW"):
            await run(uow, cmd)
