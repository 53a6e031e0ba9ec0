"""A contact point recorded wrongly is corrected (its whole state) or, recorded in error,
retracted: new events, never edits of history. Handlers with a fake unit of work: no I/O."""

from datetime import date

import pytest

from iq_contracts.codes import ContactPointType
from iq_counselling import handlers
from iq_counselling.commands import CorrectContactPoint, RecordAdviceSession, RetractAdviceSession, RetractContactPoint
from iq_runtime.errors import Conflict, NotFound, Rejected

from .fakes import context
from .test_contact_points import close, opened
from .test_recording_advice import BODY  # a session at koeln-01 on 2019-06-30


def correct(uow, region="DE-NW", code="koeln-01", instance="DE-NW", **state):
    cmd = CorrectContactPoint.model_validate({"type": "permanent", "opened_on": "2019-02-01"} | state)
    return handlers.correct_contact_point(region, code, cmd, uow, context(instance))


def retract(uow, code="koeln-01"):
    return handlers.retract_contact_point("DE-NW", code, RetractContactPoint(reason="entered_in_error"), uow,
                                          context())


async def session(uow, **overrides):
    return await handlers.record_advice_session(RecordAdviceSession.model_validate(BODY | overrides), uow, context())


async def test_a_correction_publishes_the_whole_corrected_state():
    uow = await opened()  # mobile, since 2019-01-01
    event = await correct(uow, type="permanent", opened_on="2019-02-01", closed_on="2019-06-30")
    assert (event.contact_point, event.contact_point_type, event.occurred_on, event.closed_on) == (
        "koeln-01", ContactPointType.PERMANENT, date(2019, 2, 1), date(2019, 6, 30))
    assert uow.published[-1] == event and event.aggregate_id == "DE-NW/koeln-01"
    point = await uow.contact_points.get("DE-NW", "koeln-01")
    assert (point.type, point.opened_on, point.closed_on) == (ContactPointType.PERMANENT, date(2019, 2, 1),
                                                              date(2019, 6, 30))


async def test_a_correction_reopens_a_contact_point_closed_in_error():
    uow = await opened()
    await close(uow, "2019-03-31")
    await correct(uow, opened_on="2019-01-01")  # no closing day: open
    assert (await uow.contact_points.get("DE-NW", "koeln-01")).closed_on is None
    assert (await session(uow, occurred_on="2019-06-30")).contact_point == "koeln-01"


@pytest.mark.parametrize(("state", "field", "reason"), [
    ({"opened_on": "2019-07-01"}, "opened_on", "has a session on 2019-06-30, before 2019-07-01"),
    ({"closed_on": "2019-06-29"}, "closed_on", "has a session on 2019-06-30, after 2019-06-29"),
    ({"closed_on": "2019-01-31"}, "closed_on", "is before the opening day 2019-02-01"),
    ({"opened_on": "2019-07-02"}, "opened_on", "in the future"),
    ({"closed_on": "2019-07-02"}, "closed_on", "in the future"),
])
async def test_a_correction_keeps_the_sessions_on_record_within_the_days_of_service(state, field, reason):
    uow = await opened()
    await session(uow)
    before = len(uow.published)
    with pytest.raises(Rejected) as refused:
        await correct(uow, **state)
    assert (refused.value.field, reason in refused.value.reason) == (field, True), refused.value.reason
    assert len(uow.published) == before and (await uow.contact_points.get("DE-NW", "koeln-01")).opened_on == \
        date(2019, 1, 1)


async def test_an_unknown_or_another_regions_contact_point_is_not_corrected():
    uow = await opened()
    with pytest.raises(NotFound):
        await correct(uow, code="bonn-01")
    with pytest.raises(Rejected, match="records only DE-NW"):
        await correct(uow, region="DE-BY")


async def test_a_contact_point_is_retracted_once_none_of_its_sessions_stands():
    uow = await opened()
    held = await session(uow)
    with pytest.raises(Conflict, match="has sessions on record from 2019-06-30 to 2019-06-30; retract them first"):
        await retract(uow)
    await handlers.retract_advice_session(held.session_id, RetractAdviceSession(reason="other"), uow, context())
    event = await retract(uow)
    assert (event.contact_point, event.occurred_on, event.reason) == ("koeln-01", date(2019, 1, 1), "entered_in_error")
    assert (await uow.contact_points.get("DE-NW", "koeln-01")).retracted


async def test_a_retracted_contact_point_holds_no_sessions_and_is_not_changed_again():
    uow = await opened()
    await retract(uow)
    published = len(uow.published)
    with pytest.raises(Rejected, match="was retracted"):
        await session(uow)
    for change in (lambda: close(uow, "2019-06-30"), lambda: correct(uow), lambda: retract(uow)):
        with pytest.raises(Conflict, match="koeln-01 was retracted"):
            await change()
    with pytest.raises(Conflict, match="already a contact point"):  # its code stays taken
        await opened(uow)
    assert len(uow.published) == published
