"""Individual advice: the rules and the handlers, driven with a fake unit of work (no I/O)."""

from datetime import date
from uuid import uuid4

import pytest
from pydantic import ValidationError

from iq_contracts.codes import LabourLawTopic, ResidenceStatusGroup, RetractionReason, SessionType
from iq_contracts.events.fair_integration import AdviceCorrected, AdviceRetracted
from iq_fair_integration import handlers
from iq_fair_integration.commands import RecordAdviceSession, Retract
from iq_runtime.errors import Conflict, NotFound, Rejected

from .fakes import NOW, FakeUnitOfWork, context


def advice(**overrides) -> RecordAdviceSession:
    body = {"region": "DE-NW", "occurred_on": "2019-06-30", "topics": ["wages", "holiday"],
            "residence_status": "tolerated", "citizenship": "SY", "person_id": "F-17"}
    return RecordAdviceSession.model_validate(body | overrides)


async def recorded(uow=None):
    uow = uow or FakeUnitOfWork()
    return uow, await handlers.record_advice_session(advice(), uow, context())


async def test_a_session_is_stored_and_published_together():
    uow, event = await recorded()
    assert uow.committed and uow.published == [event]
    assert uow.advice_sessions.rows[event.session_id] == (event, "SY")
    assert (event.region, event.occurred_on, event.recorded_at) == ("DE-NW", date(2019, 6, 30), NOW)
    assert event.topics == {LabourLawTopic.WAGES, LabourLawTopic.HOLIDAY}


async def test_neither_the_person_nor_the_citizenship_leaves_the_service():
    _, event = await recorded()
    published = event.model_dump_json()
    assert "F-17" not in published and "citizenship" not in published and '"SY"' not in published
    assert event.person_ref == context().pseudonymise("DE-NW", "F-17")


def test_topics_come_as_a_list_or_as_one_cell_and_duplicates_collapse():
    assert advice(topics=["wages", "wages"]).topics == {LabourLawTopic.WAGES}
    assert advice(topics="wages; holiday;").topics == {LabourLawTopic.WAGES, LabourLawTopic.HOLIDAY}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"topics": []}, "topics"), ({"topics": ""}, "topics"), ({"topics": "wages;astrology"}, "topics"),
    ({"citizenship": "ZZ"}, "citizenship"), ({"citizenship": "sy"}, "citizenship"),
    ({"residence_status": "passport"}, "residence_status"), ({"session_type": "third"}, "session_type"),
])
def test_a_malformed_command_names_the_field(overrides, field):
    with pytest.raises(ValidationError) as invalid:
        advice(**overrides)
    assert invalid.value.errors()[0]["loc"][0] == field


async def test_defaults_are_an_initial_session_and_an_unstated_residence_status():
    body = advice().model_dump(exclude={"session_type", "residence_status"})
    event = await handlers.record_advice_session(RecordAdviceSession(**body), FakeUnitOfWork(), context())
    assert (event.session_type, event.residence_status) == (SessionType.INITIAL, ResidenceStatusGroup.NOT_STATED)


@pytest.mark.parametrize("citizenship", ["PL", "DE", "FR", "NO", "IS", "LI"])
async def test_an_eu_eea_citizen_is_not_advised_but_referred(citizenship):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as rejected:
        await handlers.record_advice_session(advice(citizenship=citizenship), uow, context())
    assert rejected.value.field == "citizenship"
    assert "referral to Fair Mobility" in rejected.value.reason and "/v1/referrals" in rejected.value.reason
    assert uow.nothing_changed()


@pytest.mark.parametrize("citizenship", ["SY", "UA", "TR", "GB", "CH", "XK", "XX"])  # Kosovo; stateless or unclear
async def test_third_country_nationals_are_advised(citizenship):
    event = await handlers.record_advice_session(advice(citizenship=citizenship), FakeUnitOfWork(), context())
    assert event.session_id


async def test_today_is_the_day_in_berlin_not_in_utc():
    event = await handlers.record_advice_session(advice(occurred_on="2019-07-01"), FakeUnitOfWork(), context())
    assert event.occurred_on == date(2019, 7, 1)


@pytest.mark.parametrize(("overrides", "instance", "field"), [
    ({"occurred_on": "2019-07-02"}, "DE-NW", "occurred_on"),
    ({"region": "DE-BY"}, "DE-NW", "region"),
])
async def test_a_rejected_session_stores_and_publishes_nothing(overrides, instance, field):
    uow = FakeUnitOfWork()
    with pytest.raises(Rejected) as rejected:
        await handlers.record_advice_session(advice(**overrides), uow, context(instance))
    assert rejected.value.field == field
    assert uow.nothing_changed()


async def test_the_national_instance_records_any_region():
    event = await handlers.record_advice_session(advice(region="DE-BY"), FakeUnitOfWork(), context("national"))
    assert event.region == "DE-BY"


async def test_a_correction_publishes_the_whole_corrected_state_under_the_same_id():
    uow, given = await recorded()
    corrected = await handlers.correct_advice_session(
        given.session_id, advice(topics=["dismissal_and_termination"], session_type="follow_up", citizenship="UA"),
        uow, context())
    assert isinstance(corrected, AdviceCorrected) and corrected.session_id == given.session_id
    assert corrected.topics == {LabourLawTopic.DISMISSAL_AND_TERMINATION}
    assert corrected.session_type is SessionType.FOLLOW_UP
    assert uow.published == [given, corrected]
    assert uow.advice_sessions.rows[given.session_id] == (corrected, "UA")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"citizenship": "AT"}, "citizenship"),
    ({"occurred_on": "2019-07-02"}, "occurred_on"),
    ({"region": "DE-BY"}, "region"),
])
async def test_a_correction_obeys_the_same_rules(overrides, field):
    uow, given = await recorded()
    with pytest.raises(Rejected) as rejected:
        await handlers.correct_advice_session(given.session_id, advice(**overrides), uow, context("national"))
    assert rejected.value.field == field
    assert uow.published == [given]


async def test_an_unknown_or_foreign_session_cannot_be_corrected_or_retracted():
    uow, given = await recorded()
    with pytest.raises(NotFound):
        await handlers.correct_advice_session(uuid4(), advice(), uow, context())
    with pytest.raises(NotFound):
        await handlers.retract_advice_session(given.session_id, Retract(reason="duplicate"), uow, context(),
                                              may_see=lambda region: region == "DE-BY")
    assert uow.published == [given]


async def test_a_retraction_withdraws_the_session_once():
    uow, given = await recorded()
    retraction = await handlers.retract_advice_session(given.session_id, Retract(reason="duplicate"), uow, context())
    assert isinstance(retraction, AdviceRetracted)
    assert (retraction.session_id, retraction.occurred_on, retraction.reason) == (
        given.session_id, given.occurred_on, RetractionReason.DUPLICATE)
    with pytest.raises(Conflict):
        await handlers.retract_advice_session(given.session_id, Retract(reason="other"), uow, context())
    with pytest.raises(Conflict):
        await handlers.correct_advice_session(given.session_id, advice(), uow, context())
    assert uow.published == [given, retraction]
