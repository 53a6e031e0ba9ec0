"""Group information events and referrals to Fair Mobility: rules and handlers with fakes."""

from datetime import date
from uuid import uuid4

import pytest
from pydantic import ValidationError

from iq_contracts.codes import LabourLawTopic
from iq_contracts.events.fair_integration import EventCorrected, EventRetracted, ReferralRetracted
from iq_fair_integration import handlers
from iq_fair_integration.commands import RecordGroupEvent, RecordReferral, Retract
from iq_runtime.errors import Conflict, NotFound, Rejected

from .fakes import FakeUnitOfWork, context


def group_event(**overrides) -> RecordGroupEvent:
    body = {"region": "DE-NW", "held_on": "2019-06-12", "topics": "working_time;wages", "participants": 23}
    return RecordGroupEvent.model_validate(body | overrides)


def referral(**overrides) -> RecordReferral:
    body = {"region": "DE-NW", "occurred_on": "2019-06-12", "citizenship": "RO", "person_id": "F-9"}
    return RecordReferral.model_validate(body | overrides)


async def test_a_group_event_is_published_with_the_people_reached():
    uow = FakeUnitOfWork()
    event = await handlers.record_group_event(group_event(), uow, context())
    assert uow.published == [event]
    assert (event.occurred_on, event.participants) == (date(2019, 6, 12), 23)
    assert event.topics == {LabourLawTopic.WORKING_TIME, LabourLawTopic.WAGES}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"participants": -1}, "participants"), ({"participants": 100_001}, "participants"),
    ({"participants": "many"}, "participants"), ({"topics": []}, "topics"), ({"held_on": "2019-13-01"}, "held_on"),
])
def test_a_malformed_group_event_names_the_field(overrides, field):
    with pytest.raises(ValidationError) as invalid:
        group_event(**overrides)
    assert invalid.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize(("overrides", "instance", "field"), [
    ({"held_on": "2019-07-02"}, "DE-NW", "held_on"),
    ({"region": "DE-HE"}, "DE-NW", "region"),
])
async def test_a_rejected_group_event_stores_nothing(overrides, instance, field):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as rejected:
        await handlers.record_group_event(group_event(**overrides), uow, context(instance))
    assert rejected.value.field == field
    assert uow.nothing_changed()


async def test_a_group_event_is_corrected_then_retracted():
    uow = FakeUnitOfWork()
    held = await handlers.record_group_event(group_event(), uow, context())
    corrected = await handlers.correct_group_event(held.activity_id, group_event(participants=0), uow, context())
    assert isinstance(corrected, EventCorrected) and corrected.participants == 0
    with pytest.raises(Rejected) as future:
        await handlers.correct_group_event(held.activity_id, group_event(held_on="2019-08-01"), uow, context())
    assert future.value.field == "held_on"
    retracted = await handlers.retract_group_event(held.activity_id, Retract(reason="entered_in_error"), uow,
                                                   context())
    assert isinstance(retracted, EventRetracted) and retracted.occurred_on == corrected.occurred_on
    assert uow.published == [held, corrected, retracted]
    with pytest.raises(Conflict):
        await handlers.correct_group_event(held.activity_id, group_event(), uow, context())
    with pytest.raises(NotFound):
        await handlers.retract_group_event(uuid4(), Retract(reason="duplicate"), uow, context())


@pytest.mark.parametrize("citizenship", ["RO", "PL", "BG", "DE", "NO"])
async def test_an_eu_eea_citizen_is_referred(citizenship):
    uow = FakeUnitOfWork()
    event = await handlers.record_referral(referral(citizenship=citizenship), uow, context())
    assert uow.published == [event]
    assert event.citizenship == citizenship and "F-9" not in event.model_dump_json()


@pytest.mark.parametrize("citizenship", ["SY", "UA", "GB", "CH"])
async def test_a_third_country_national_is_not_referred_but_advised(citizenship):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as rejected:
        await handlers.record_referral(referral(citizenship=citizenship), uow, context())
    assert rejected.value.field == "citizenship"
    assert "advise third-country nationals here" in rejected.value.reason
    assert uow.nothing_changed()


@pytest.mark.parametrize(("overrides", "instance", "field"), [
    ({"occurred_on": "2019-07-02"}, "DE-NW", "occurred_on"),
    ({"region": "DE-SN"}, "DE-NW", "region"),
])
async def test_a_rejected_referral_stores_nothing(overrides, instance, field):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as rejected:
        await handlers.record_referral(referral(**overrides), uow, context(instance))
    assert rejected.value.field == field
    assert uow.nothing_changed()


async def test_a_referral_is_retracted_once():
    uow = FakeUnitOfWork()
    event = await handlers.record_referral(referral(), uow, context())
    retracted = await handlers.retract_referral(event.referral_id, Retract(reason="wrong_region"), uow, context())
    assert isinstance(retracted, ReferralRetracted) and retracted.referral_id == event.referral_id
    with pytest.raises(Conflict):
        await handlers.retract_referral(event.referral_id, Retract(reason="wrong_region"), uow, context())
    with pytest.raises(NotFound):
        await handlers.retract_referral(uuid4(), Retract(reason="duplicate"), uow, context())
