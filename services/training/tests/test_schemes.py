"""Scheme rules through the handlers, with a fake unit of work: no I/O."""

from datetime import date

import pytest
from pydantic import ValidationError

from iq_contracts.codes import MeasureType, SchemeFormat
from iq_contracts.events.training import SchemeCorrected, SchemeOpened, SchemeRetracted, SchemeStartCorrected
from iq_runtime.errors import Conflict, NotFound, Rejected
from iq_training import handlers
from iq_training.commands import CorrectScheme, EnrolParticipant, OpenScheme, RetractScheme

from .fakes import NOW, FakeUnitOfWork, context

SCHEME = {"region": "DE-NW", "format": "course", "measure_type": "bridge_training",
          "occupation": {"classification": "kldb2010", "code": "81302"},
          "starts_on": "2019-03-01", "planned_end": "2019-12-20"}


async def opened(uow, ctx=None, **overrides) -> SchemeOpened:
    return await handlers.handle(OpenScheme.model_validate(SCHEME | overrides), uow, ctx or context())


async def enrol(uow, scheme_id, person_id="A-1", started_on="2019-03-04"):
    cmd = EnrolParticipant(region="DE-NW", scheme_id=scheme_id, person_id=person_id, started_on=started_on)
    return await handlers.handle(cmd, uow, context())


def correction(scheme_id, **overrides) -> CorrectScheme:
    return CorrectScheme.model_validate(SCHEME | {"scheme_id": scheme_id} | overrides)


async def test_a_scheme_is_stored_and_published_together():
    uow = FakeUnitOfWork()
    event = await opened(uow)
    assert uow.published == [event] and uow.committed
    assert event.scheme_id in uow.schemes.rows
    assert (event.occurred_on, event.planned_end, event.recorded_at) == (date(2019, 3, 1), date(2019, 12, 20), NOW)
    assert (event.format, event.measure_type) == (SchemeFormat.COURSE, MeasureType.BRIDGE_TRAINING)


def test_an_isco_occupation_is_mapped_to_kldb():
    cmd = OpenScheme.model_validate(SCHEME | {"occupation": {"classification": "isco08", "code": "2211"}})
    assert (cmd.occupation.classification.value, cmd.occupation.code) == ("kldb2010", "81404")


@pytest.mark.parametrize("occupation", [{"classification": "kldb2010", "code": "99999"},
                                        {"classification": "isco08", "code": "9999"}])
def test_an_occupation_not_in_the_shipped_lists_is_refused(occupation):
    with pytest.raises(ValidationError, match="not in the shipped"):
        OpenScheme.model_validate(SCHEME | {"occupation": occupation})


async def test_a_scheme_that_starts_today_in_berlin_is_not_in_the_future():
    assert (await opened(FakeUnitOfWork(), starts_on="2019-07-01")).occurred_on == date(2019, 7, 1)


@pytest.mark.parametrize(
    ("overrides", "instance", "field", "reason"),
    [
        ({"starts_on": "2019-07-02", "planned_end": "2019-12-01"}, "DE-NW", "starts_on", "in the future"),
        ({"planned_end": "2019-02-28"}, "DE-NW", "planned_end", "before the start"),
        ({"region": "DE-BY"}, "DE-NW", "region", "records only DE-NW"),
    ],
)
async def test_a_rejected_scheme_stores_and_publishes_nothing(overrides, instance, field, reason):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as rejected:
        await opened(uow, context(instance), **overrides)
    assert (rejected.value.field, reason in rejected.value.reason) == (field, True)
    assert (uow.schemes.rows, uow.published, uow.committed) == ({}, [], False)


async def test_the_national_instance_records_any_region():
    assert (await opened(FakeUnitOfWork(), context("national"), region="DE-BY")).region == "DE-BY"


async def test_a_correction_publishes_the_whole_corrected_scheme():
    uow = FakeUnitOfWork()
    scheme = await opened(uow)
    corrected = await handlers.handle(correction(scheme.scheme_id, planned_end="2020-01-31"), uow, context())
    assert isinstance(corrected, SchemeCorrected)
    assert (corrected.scheme_id, corrected.planned_end, corrected.occurred_on) == (
        scheme.scheme_id, date(2020, 1, 31), date(2019, 3, 1))
    assert uow.published == [scheme, corrected]  # the dates changed, not what the starts repeat


async def test_correcting_what_the_starts_repeat_corrects_every_current_start():
    uow = FakeUnitOfWork()
    scheme = await opened(uow)
    first, second = await enrol(uow, scheme.scheme_id, "A-1"), await enrol(uow, scheme.scheme_id, "A-2")
    await handlers.handle(correction(scheme.scheme_id, measure_type="compensatory_measure"), uow, context())
    starts = [e for e in uow.published if isinstance(e, SchemeStartCorrected)]
    assert {s.enrolment_id for s in starts} == {first.enrolment_id, second.enrolment_id}
    assert {s.measure_type for s in starts} == {MeasureType.COMPENSATORY_MEASURE}
    assert {s.person_ref for s in starts} == {first.person_ref, second.person_ref}


@pytest.mark.parametrize(
    ("overrides", "error", "field", "reason"),
    [
        ({"format": "individual"}, Conflict, "format", "has 2"),
        ({"starts_on": "2019-03-05"}, Rejected, "starts_on", "a participant started on 2019-03-04"),
        ({"region": "DE-BY"}, Rejected, "region", "records only DE-NW"),
    ],
)
async def test_a_correction_that_breaks_a_rule_is_refused(overrides, error, field, reason):
    uow = FakeUnitOfWork()
    scheme = await opened(uow)
    await enrol(uow, scheme.scheme_id, "A-1")
    await enrol(uow, scheme.scheme_id, "A-2", started_on="2019-03-06")
    published = list(uow.published)
    with pytest.raises(error) as refused:
        await handlers.handle(correction(scheme.scheme_id, **overrides), uow, context())
    assert (refused.value.field, reason in refused.value.reason) == (field, True)
    assert uow.published == published


async def test_an_unknown_scheme_or_one_of_another_region_is_not_found():
    uow = FakeUnitOfWork()
    other = await opened(uow, context("national"), region="DE-BY")
    for scheme_id in (other.scheme_id, "8d0f4c1e-0000-4000-8000-000000000000"):
        with pytest.raises(NotFound, match="no scheme"):
            await handlers.handle(correction(scheme_id), uow, context("national"))
        with pytest.raises(NotFound, match="no scheme"):
            await handlers.handle(RetractScheme(region="DE-NW", scheme_id=scheme_id, reason="duplicate"), uow,
                                  context())


async def test_a_retraction_withdraws_the_scheme_under_its_key_and_start_day():
    uow = FakeUnitOfWork()
    scheme = await opened(uow)
    retracted = await handlers.handle(RetractScheme(region="DE-NW", scheme_id=scheme.scheme_id, reason="duplicate"),
                                      uow, context())
    assert isinstance(retracted, SchemeRetracted)
    assert (retracted.aggregate_id, retracted.occurred_on, retracted.reason) == (
        str(scheme.scheme_id), date(2019, 3, 1), "duplicate")
    for again in (RetractScheme(region="DE-NW", scheme_id=scheme.scheme_id, reason="duplicate"),
                  correction(scheme.scheme_id)):
        with pytest.raises(Conflict, match="was retracted"):
            await handlers.handle(again, uow, context())


async def test_a_scheme_with_participants_is_not_retracted():
    uow = FakeUnitOfWork()
    scheme = await opened(uow)
    await enrol(uow, scheme.scheme_id)
    with pytest.raises(Conflict, match="retract their starts first"):
        await handlers.handle(RetractScheme(region="DE-NW", scheme_id=scheme.scheme_id, reason="other"), uow,
                              context())
    assert not uow.schemes.rows[scheme.scheme_id].retracted
