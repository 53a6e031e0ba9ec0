"""The advice session rules and handlers, driven with a fake unit of work: no I/O."""

from datetime import date
from uuid import uuid4

import pytest

from iq_contracts.codes import ContactPointType, SessionType
from iq_counselling import handlers
from iq_counselling.commands import CorrectAdviceSession, RecordAdviceSession, RetractAdviceSession
from iq_counselling.domain import ContactPoint
from iq_runtime.errors import Conflict, NotFound, Rejected

from .fakes import NOW, FakeUnitOfWork, context

KOELN = ContactPoint(region="DE-NW", code="koeln-01", type=ContactPointType.PERMANENT, opened_on=date(2019, 1, 1))
MUENCHEN = ContactPoint(region="DE-BY", code="muenchen-01", type=ContactPointType.MOBILE,
                        opened_on=date(2019, 1, 1))
BODY = {
    "region": "DE-NW", "contact_point": "koeln-01", "occurred_on": "2019-06-30",
    "kind": "recognition", "mode": "phone",
    "occupation": {"classification": "kldb2010", "code": "81302"},
    "qualification_country": "SY", "occupation_regulated": True, "person_id": "A-17",
}


def command(**overrides) -> RecordAdviceSession:
    return RecordAdviceSession.model_validate(BODY | overrides)


def correction(**overrides) -> CorrectAdviceSession:
    return CorrectAdviceSession.model_validate(BODY | overrides)


def unit_of_work(*contact_points: ContactPoint) -> FakeUnitOfWork:
    return FakeUnitOfWork(*(contact_points or (KOELN, MUENCHEN)))


async def test_a_session_is_stored_and_published_together():
    uow = unit_of_work()
    event = await handlers.record_advice_session(command(), uow, context())
    assert uow.committed
    assert uow.advice_sessions.rows == {event.session_id: event}
    assert uow.published == [event]
    assert (event.region, event.occurred_on, event.recorded_at) == ("DE-NW", date(2019, 6, 30), NOW)


async def test_only_the_pseudonym_of_the_person_leaves_the_handler():
    event = await handlers.record_advice_session(command(person_id="A-17"), unit_of_work(), context())
    assert "A-17" not in event.model_dump_json()
    assert event.person_ref == context().pseudonymise("DE-NW", "A-17")


async def test_a_qualification_from_kosovo_is_recorded_under_its_user_assigned_code():
    event = await handlers.record_advice_session(command(qualification_country="XK"), unit_of_work(), context())
    assert event.qualification_country == "XK"


async def test_a_session_is_initial_unless_said_otherwise():
    event = await handlers.record_advice_session(command(), unit_of_work(), context())
    follow_up = await handlers.record_advice_session(command(session_type="follow_up"), unit_of_work(), context())
    assert (event.session_type, follow_up.session_type) == (SessionType.INITIAL, SessionType.FOLLOW_UP)


async def test_today_is_the_day_in_berlin_not_in_utc():
    # 22:30 UTC on 30 June is 00:30 on 1 July in Berlin: a session on 1 July is not in the future
    event = await handlers.record_advice_session(command(occurred_on="2019-07-01"), unit_of_work(), context())
    assert event.occurred_on == date(2019, 7, 1)


async def test_an_isco_code_is_published_as_the_kldb_code_it_maps_to():
    event = await handlers.record_advice_session(
        command(occupation={"classification": "isco08", "code": "2221"}), unit_of_work(), context())
    assert (event.occupation.classification, event.occupation.code) == ("kldb2010", "81302")


async def test_a_listed_isco_code_without_a_mapping_stays_isco():
    event = await handlers.record_advice_session(
        command(occupation={"classification": "isco08", "code": "0110"}), unit_of_work(), context())
    assert (event.occupation.classification, event.occupation.code) == ("isco08", "0110")


async def test_a_session_on_the_last_day_of_a_contact_point_is_recorded():
    closed = ContactPoint(**KOELN.__dict__ | {"closed_on": date(2019, 6, 30)})
    event = await handlers.record_advice_session(command(), unit_of_work(closed), context())
    assert event.contact_point == "koeln-01"


CLOSED_KOELN = ContactPoint(**KOELN.__dict__ | {"closed_on": date(2019, 5, 31)})


@pytest.mark.parametrize(
    ("overrides", "contact_points", "region", "field", "reason"),
    [
        ({"occurred_on": "2019-07-02"}, (KOELN,), "DE-NW", "occurred_on", "2019-07-02 is in the future"),
        ({"region": "DE-BY", "contact_point": "muenchen-01"}, (MUENCHEN,), "DE-NW", "region", "records only DE-NW"),
        ({"contact_point": "koeln-99"}, (KOELN,), "DE-NW", "contact_point",
         "koeln-99 is not a registered contact point of DE-NW"),
        ({"region": "DE-BY"}, (KOELN,), "national", "contact_point",
         "koeln-01 is not a registered contact point of DE-BY"),
        ({"occurred_on": "2018-12-31"}, (KOELN,), "DE-NW", "contact_point", "koeln-01 opened on 2019-01-01"),
        ({}, (CLOSED_KOELN,), "DE-NW", "contact_point", "koeln-01 was closed on 2019-05-31"),
        ({"occupation": {"classification": "kldb2010", "code": "99999"}}, (KOELN,), "DE-NW", "occupation.code",
         "99999 is not a KldB 2010 Berufsgattung in the shipped list"),
        ({"occupation": {"classification": "isco08", "code": "9999"}}, (KOELN,), "DE-NW", "occupation.code",
         "9999 is not an ISCO-08 unit group in the shipped list"),
        ({"qualification_country": "XX"}, (KOELN,), "DE-NW", "qualification_country",
         "XX is not an assigned ISO 3166-1 code"),
    ],
)
async def test_a_rejected_session_stores_and_publishes_nothing(overrides, contact_points, region, field, reason):
    uow = unit_of_work(*contact_points)
    with pytest.raises(Rejected) as rejected:
        await handlers.record_advice_session(command(**overrides), uow, context(region))
    assert (rejected.value.field, rejected.value.status) == (field, 422)
    assert reason in rejected.value.reason
    assert (uow.advice_sessions.rows, uow.published, uow.committed) == ({}, [], False)


async def test_the_national_instance_records_any_region():
    event = await handlers.record_advice_session(command(region="DE-BY", contact_point="muenchen-01"),
                                                 unit_of_work(), context("national"))
    assert event.region == "DE-BY"


async def recorded(uow=None):
    uow = uow or unit_of_work()
    return uow, await handlers.record_advice_session(command(), uow, context())


async def test_a_correction_publishes_the_whole_corrected_state_under_the_same_session():
    uow, given = await recorded()
    corrected = await handlers.correct_advice_session(
        given.session_id, correction(kind="job_training", occupation={"classification": "isco08", "code": "2221"}),
        uow, context())
    assert (corrected.session_id, corrected.kind, corrected.occupation.code) == (given.session_id, "job_training",
                                                                                "81302")
    assert corrected.event_id != given.event_id
    assert uow.published == [given, corrected]
    assert uow.advice_sessions.rows[given.session_id] == corrected


async def test_a_retraction_withdraws_the_session_on_its_own_date_and_region():
    uow, given = await recorded()
    retracted = await handlers.retract_advice_session(given.session_id, RetractAdviceSession(reason="duplicate"),
                                                      uow, context())
    assert (retracted.session_id, retracted.region, retracted.occurred_on, retracted.reason) == (
        given.session_id, "DE-NW", given.occurred_on, "duplicate")
    assert uow.published == [given, retracted]


async def test_an_unknown_session_is_neither_corrected_nor_retracted():
    uow, unknown = unit_of_work(), uuid4()
    with pytest.raises(NotFound, match=f"no advice session {unknown} to correct"):
        await handlers.correct_advice_session(unknown, correction(), uow, context())
    with pytest.raises(NotFound, match="to retract"):
        await handlers.retract_advice_session(unknown, RetractAdviceSession(reason="other"), uow, context())
    assert uow.published == []


async def test_a_retracted_session_is_neither_corrected_nor_retracted_again():
    uow, given = await recorded()
    await handlers.retract_advice_session(given.session_id, RetractAdviceSession(reason="duplicate"), uow, context())
    with pytest.raises(Conflict, match="was retracted"):
        await handlers.correct_advice_session(given.session_id, correction(), uow, context())
    with pytest.raises(Conflict, match="was retracted"):
        await handlers.retract_advice_session(given.session_id, RetractAdviceSession(reason="other"), uow, context())
    assert len(uow.published) == 2


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"region": "DE-BY", "contact_point": "muenchen-01"}, "region", "keeps the session's region DE-NW"),
        ({"occurred_on": "2019-07-02"}, "occurred_on", "in the future"),
        ({"contact_point": "koeln-99"}, "contact_point", "not a registered contact point"),
        ({"occupation": {"classification": "kldb2010", "code": "99999"}}, "occupation.code", "shipped list"),
        ({"qualification_country": "XX"}, "qualification_country", "ISO 3166-1"),
    ],
)
async def test_a_correction_follows_the_rules_of_recording(overrides, field, reason):
    uow, given = await recorded()
    with pytest.raises(Rejected) as rejected:
        await handlers.correct_advice_session(given.session_id, correction(**overrides), uow, context("national"))
    assert (rejected.value.field, reason in rejected.value.reason) == (field, True)
    assert uow.published == [given]
    assert uow.advice_sessions.rows[given.session_id] == given


async def test_a_regional_instance_retracts_only_its_own_sessions():
    uow = unit_of_work()
    given = await handlers.record_advice_session(command(region="DE-BY", contact_point="muenchen-01"), uow,
                                                 context("national"))
    with pytest.raises(Rejected, match="records only DE-NW"):
        await handlers.retract_advice_session(given.session_id, RetractAdviceSession(reason="other"), uow,
                                              context("DE-NW"))
