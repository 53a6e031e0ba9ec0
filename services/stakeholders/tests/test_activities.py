"""Trainings and events: the rules and the handlers, driven with a fake unit of work."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from iq_contracts.events.stakeholders import EventCorrected, EventHeld, EventRetracted
from iq_runtime.errors import Conflict, Forbidden, NotFound, Rejected
from iq_stakeholders import handlers
from iq_stakeholders.commands import RecordActivity, Retract

from .fakes import NOW, FakeUnitOfWork, allow, context


def activity(**overrides) -> RecordActivity:
    body = {"region": "DE-NW", "format": "training", "target_group": "labour_market",
            "topic": "anti_discrimination", "held_on": "2019-06-30", "participants": 14}
    return RecordActivity.model_validate(body | overrides)


async def recorded(uow) -> EventHeld:
    return await handlers.record_activity(activity(), uow, context())


def refuse(region: str) -> None:
    raise Forbidden("region", f"not {region}")


async def test_a_training_is_stored_and_published_together():
    uow = FakeUnitOfWork()
    event = await recorded(uow)
    assert isinstance(event, EventHeld)
    assert uow.published == [event] and uow.commits == 1
    assert uow.activities.rows[event.activity_id]["participants"] == 14
    assert (event.region, event.occurred_on, event.recorded_at, event.format) == ("DE-NW", date(2019, 6, 30), NOW,
                                                                                   "training")


async def test_held_on_becomes_the_events_occurred_on_and_today_is_the_day_in_berlin():
    event = await handlers.record_activity(activity(held_on="2019-07-01"), FakeUnitOfWork(), context())
    assert event.occurred_on == date(2019, 7, 1)


@pytest.mark.parametrize(("overrides", "instance", "field"), [
    ({"held_on": "2019-07-02"}, "DE-NW", "held_on"),
    ({"region": "DE-BY"}, "DE-NW", "region"),
])
async def test_a_refused_activity_stores_and_publishes_nothing(overrides, instance, field):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as refused:
        await handlers.record_activity(activity(**overrides), uow, context(instance))
    assert refused.value.field == field
    assert (uow.activities.rows, uow.published, uow.commits) == ({}, [], 0)


async def test_the_national_instance_records_any_region():
    event = await handlers.record_activity(activity(region="DE-BY"), FakeUnitOfWork(), context("national"))
    assert event.region == "DE-BY"


async def test_a_correction_publishes_the_whole_corrected_state_under_the_same_key():
    uow = FakeUnitOfWork()
    held = await recorded(uow)
    later = context(now=NOW + timedelta(days=3))
    corrected = await handlers.correct_activity(held.activity_id, activity(participants=41, format="event"), uow,
                                                later, allow)
    assert isinstance(corrected, EventCorrected)
    assert (corrected.activity_id, corrected.participants, corrected.format) == (held.activity_id, 41, "event")
    assert corrected.recorded_at == NOW + timedelta(days=3) and corrected.event_id != held.event_id
    assert uow.activities.rows[held.activity_id]["participants"] == 41


async def test_a_retraction_repeats_the_activity_date_and_names_the_reason():
    uow = FakeUnitOfWork()
    held = await recorded(uow)
    retracted = await handlers.retract_activity(held.activity_id, Retract(reason="duplicate"), uow, context(), allow)
    assert isinstance(retracted, EventRetracted)
    assert (retracted.activity_id, retracted.occurred_on, retracted.reason) == (held.activity_id, held.occurred_on,
                                                                                 "duplicate")
    assert uow.published == [held, retracted]


async def test_an_unknown_activity_cannot_be_corrected_or_retracted():
    uow = FakeUnitOfWork()
    with pytest.raises(NotFound) as unknown:
        await handlers.correct_activity(uuid4(), activity(), uow, context(), allow)
    assert unknown.value.field == "activity_id"
    with pytest.raises(NotFound):
        await handlers.retract_activity(uuid4(), Retract(reason="other"), uow, context(), allow)
    assert uow.published == []


async def test_a_retracted_activity_cannot_be_corrected_or_retracted_again():
    uow = FakeUnitOfWork()
    held = await recorded(uow)
    await handlers.retract_activity(held.activity_id, Retract(reason="duplicate"), uow, context(), allow)
    with pytest.raises(Conflict, match="retracted"):
        await handlers.correct_activity(held.activity_id, activity(), uow, context(), allow)
    with pytest.raises(Conflict):
        await handlers.retract_activity(held.activity_id, Retract(reason="duplicate"), uow, context(), allow)
    assert len(uow.published) == 2


async def test_a_correction_does_not_move_a_record_to_another_region():
    uow = FakeUnitOfWork()
    held = await recorded(uow)
    with pytest.raises(Rejected, match="wrong_region") as refused:
        await handlers.correct_activity(held.activity_id, activity(region="DE-BY"), uow, context("national"), allow)
    assert refused.value.field == "region"


async def test_a_correction_may_not_move_the_date_into_the_future():
    uow = FakeUnitOfWork()
    held = await recorded(uow)
    with pytest.raises(Rejected) as refused:
        await handlers.correct_activity(held.activity_id, activity(held_on="2019-07-02"), uow, context(), allow)
    assert refused.value.field == "held_on"
    assert uow.published == [held]


async def test_a_caller_who_may_not_record_the_region_cannot_correct_or_retract_nor_learn_the_record_exists():
    uow = FakeUnitOfWork()
    held = await recorded(uow)
    with pytest.raises(Forbidden):  # nor may it record the correction's region
        await handlers.correct_activity(held.activity_id, activity(), uow, context(), refuse)
    with pytest.raises(NotFound):
        await handlers.retract_activity(held.activity_id, Retract(reason="other"), uow, context(), refuse)
    assert uow.published == [held]


async def test_a_regional_instance_does_not_retract_another_regions_record():
    uow = FakeUnitOfWork()
    held = await handlers.record_activity(activity(region="DE-BY"), uow, context("national"))
    with pytest.raises(Rejected, match="records only DE-NW"):
        await handlers.retract_activity(held.activity_id, Retract(reason="other"), uow, context("DE-NW"), allow)
