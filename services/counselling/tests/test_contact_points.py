"""The contact point rules and handlers, driven with a fake unit of work: no I/O."""

from datetime import date

import pytest

from iq_contracts.codes import ContactPointType
from iq_counselling import handlers
from iq_counselling.commands import CloseContactPoint, OpenContactPoint, RecordAdviceSession, RetractAdviceSession
from iq_runtime.errors import Conflict, NotFound, Rejected

from .fakes import NOW, FakeUnitOfWork, context
from .test_recording_advice import BODY


def opening(**overrides) -> OpenContactPoint:
    return OpenContactPoint.model_validate(
        {"region": "DE-NW", "code": "koeln-01", "type": "mobile", "opened_on": "2019-01-01"} | overrides)


async def opened(uow=None) -> FakeUnitOfWork:
    uow = uow or FakeUnitOfWork()
    await handlers.open_contact_point(opening(), uow, context())
    return uow


async def close(uow, closed_on="2019-06-30", region="DE-NW", code="koeln-01", instance="DE-NW"):
    return await handlers.close_contact_point(region, code, CloseContactPoint(closed_on=closed_on), uow,
                                              context(instance))


async def test_an_opened_contact_point_is_stored_and_published():
    uow = FakeUnitOfWork()
    event = await handlers.open_contact_point(opening(), uow, context())
    assert uow.published == [event]
    assert (event.region, event.contact_point, event.contact_point_type, event.occurred_on, event.recorded_at) == (
        "DE-NW", "koeln-01", ContactPointType.MOBILE, date(2019, 1, 1), NOW)
    assert event.aggregate_id == "DE-NW/koeln-01"
    assert (await uow.contact_points.get("DE-NW", "koeln-01")).opened_on == date(2019, 1, 1)


async def test_the_same_code_may_open_in_another_region():
    uow = await opened()
    event = await handlers.open_contact_point(opening(region="DE-BY"), uow, context("national"))
    assert event.aggregate_id == "DE-BY/koeln-01"


@pytest.mark.parametrize(
    ("overrides", "instance", "error", "field", "reason"),
    [
        ({}, "DE-NW", Conflict, "code", "koeln-01 is already a contact point of DE-NW (opened on 2019-01-01)"),
        ({"code": "bonn-01", "opened_on": "2019-07-02"}, "DE-NW", Rejected, "opened_on", "in the future"),
        ({"code": "bonn-01", "region": "DE-BY"}, "DE-NW", Rejected, "region", "records only DE-NW"),
    ],
)
async def test_a_refused_opening_publishes_nothing(overrides, instance, error, field, reason):
    uow = await opened()
    with pytest.raises(error) as refused:
        await handlers.open_contact_point(opening(**overrides), uow, context(instance))
    assert (type(refused.value), refused.value.field) == (error, field)
    assert reason in refused.value.reason
    assert len(uow.published) == 1


async def test_a_closure_is_published_with_the_last_day_of_service():
    uow = await opened()
    event = await close(uow, "2019-06-30")
    assert (event.region, event.contact_point, event.occurred_on) == ("DE-NW", "koeln-01", date(2019, 6, 30))
    assert (await uow.contact_points.get("DE-NW", "koeln-01")).closed_on == date(2019, 6, 30)


async def test_a_contact_point_may_close_on_its_first_day():
    assert (await close(await opened(), "2019-01-01")).occurred_on == date(2019, 1, 1)


async def test_a_closure_is_refused_while_a_later_session_is_on_record_but_not_a_retracted_one():
    uow = await opened()
    session = await handlers.record_advice_session(RecordAdviceSession.model_validate(BODY), uow, context())
    with pytest.raises(Rejected, match="has a session on 2019-06-30, after 2019-06-29"):
        await close(uow, "2019-06-29")
    await handlers.retract_advice_session(session.session_id, RetractAdviceSession(reason="other"), uow, context())
    assert (await close(uow, "2019-06-29")).occurred_on == date(2019, 6, 29)


@pytest.mark.parametrize(
    ("arguments", "error", "field", "reason"),
    [
        ({"code": "bonn-01"}, NotFound, "code", "bonn-01 is not a registered contact point of DE-NW"),
        ({"region": "DE-BY"}, NotFound, "code", "koeln-01 is not a registered contact point of DE-BY"),
        ({"closed_on": "2018-12-31"}, Rejected, "closed_on", "2018-12-31 is before koeln-01 opened on 2019-01-01"),
        ({"closed_on": "2019-07-02"}, Rejected, "closed_on", "2019-07-02 is in the future"),
        ({"region": "DE-BY", "instance": "DE-NW"}, Rejected, "region", "records only DE-NW"),
    ],
)
async def test_a_refused_closure_publishes_nothing(arguments, error, field, reason):
    uow = await opened()
    with pytest.raises(error) as refused:
        await close(uow, **({"instance": "national"} | arguments))
    assert (type(refused.value), refused.value.field) == (error, field)
    assert reason in refused.value.reason
    assert (await uow.contact_points.get("DE-NW", "koeln-01")).closed_on is None
    assert len(uow.published) == 1


async def test_closing_twice_is_a_conflict():
    uow = await opened()
    await close(uow, "2019-06-30")
    with pytest.raises(Conflict, match="koeln-01 was already closed on 2019-06-30"):
        await close(uow, "2019-06-30")
    assert len(uow.published) == 2
