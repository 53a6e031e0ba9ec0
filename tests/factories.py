"""Valid example events for tests; each call gives a fresh event id. Overrides may be
plain wire values ("DE-BY", "follow_up"), as a test would write them."""

import hashlib
from datetime import UTC, date, datetime
from uuid import uuid4

from iq_contracts.base import Occupation
from iq_contracts.codes import (
    AdviceKind,
    AdviceMode,
    CompletionOutcome,
    MeasureType,
    OccupationClassification,
    SchemeFormat,
    SessionType,
)
from iq_contracts.events import counselling, training
from iq_contracts.regions import Region

NURSE = Occupation(classification=OccupationClassification.KLDB_2010, code="81302")
NOT_STATED_ESF = {"gender": "not_stated", "age_band": "not_stated", "isced": "not_stated",
                  "labour_market_status": "not_stated", "third_country_national": "not_stated",
                  "foreign_background": "not_stated"}


def person_ref(local_id: str) -> str:
    return hashlib.sha256(local_id.encode()).hexdigest()


def advice_given(**overrides) -> counselling.AdviceGiven:
    fields = dict(
        event_id=uuid4(),
        region=Region.NW,
        occurred_on=date(2019, 3, 4),
        recorded_at=datetime(2019, 3, 4, 10, 0, tzinfo=UTC),
        session_id=uuid4(),
        session_type=SessionType.INITIAL,
        kind=AdviceKind.RECOGNITION,
        mode=AdviceMode.IN_PERSON,
        contact_point="koeln-01",
        occupation=NURSE,
        qualification_country="SY",
        occupation_regulated=True,
        person_ref=person_ref("p-1"),
    )
    return counselling.AdviceGiven.model_validate(fields | overrides, strict=False)


def scheme_completed(**overrides) -> training.SchemeCompleted:
    fields = dict(
        event_id=uuid4(),
        region=Region.BY,
        occurred_on=date(2019, 9, 30),
        recorded_at=datetime(2019, 10, 1, 9, 0, tzinfo=UTC),
        enrolment_id=uuid4(),
        scheme_id=uuid4(),
        started_on=date(2019, 2, 1),
        outcome=CompletionOutcome.FULL_RECOGNITION,
    )
    return training.SchemeCompleted.model_validate(fields | overrides, strict=False)


def scheme_started(**overrides) -> training.SchemeStarted:
    fields = dict(
        event_id=uuid4(),
        region=Region.BY,
        occurred_on=date(2019, 2, 1),
        recorded_at=datetime(2019, 2, 1, 9, 0, tzinfo=UTC),
        enrolment_id=uuid4(),
        scheme_id=uuid4(),
        format=SchemeFormat.COURSE,
        measure_type=MeasureType.BRIDGE_TRAINING,
        occupation=NURSE,
        person_ref=person_ref("p-2"),
        esf=NOT_STATED_ESF,
    )
    return training.SchemeStarted.model_validate(fields | overrides, strict=False)


# --- every other event type, and corrections/retractions of any fact (reporting) ---

from iq_contracts.events import fair_integration, stakeholders  # noqa: E402

CORRECTION_OF = {
    counselling.AdviceGiven: counselling.AdviceCorrected,
    training.SchemeOpened: training.SchemeCorrected,
    training.SchemeStarted: training.SchemeStartCorrected,
    training.SchemeCompleted: training.SchemeCompletionCorrected,
    stakeholders.EventHeld: stakeholders.EventCorrected,
    stakeholders.ConsultationHeld: stakeholders.ConsultationCorrected,
    fair_integration.AdviceGiven: fair_integration.AdviceCorrected,
    fair_integration.EventHeld: fair_integration.EventCorrected,
}
RETRACTION_OF = {
    counselling.AdviceGiven: counselling.AdviceRetracted,
    training.SchemeOpened: training.SchemeRetracted,
    training.SchemeStarted: training.SchemeStartRetracted,
    training.SchemeCompleted: training.SchemeCompletionRetracted,
    stakeholders.EventHeld: stakeholders.EventRetracted,
    stakeholders.ConsultationHeld: stakeholders.ConsultationRetracted,
    fair_integration.AdviceGiven: fair_integration.AdviceRetracted,
    fair_integration.EventHeld: fair_integration.EventRetracted,
    fair_integration.ReferredToFairMobility: fair_integration.ReferralRetracted,
}


def _same_record(fact, target, overrides: dict):
    fields = {name: value for name, value in fact.model_dump().items() if name in target.model_fields}
    return target.model_validate(fields | {"event_id": uuid4()} | overrides, strict=False)


def correction_of(fact, **changes):
    """The `*Corrected` event of `fact` (same record id), with `changes` (e.g. recorded_at)."""
    return _same_record(fact, CORRECTION_OF[type(fact)], changes)


def retraction_of(fact, **overrides):
    """The `*Retracted` event of `fact` (same record id); give `recorded_at`."""
    return _same_record(fact, RETRACTION_OF[type(fact)], {"reason": "entered_in_error"} | overrides)


def contact_point_opened(**overrides) -> counselling.ContactPointOpened:
    fields = dict(event_id=uuid4(), region=Region.NW, occurred_on=date(2018, 1, 1),
                  recorded_at=datetime(2018, 1, 1, 9, 0, tzinfo=UTC), contact_point="koeln-01",
                  contact_point_type="permanent")
    return counselling.ContactPointOpened.model_validate(fields | overrides, strict=False)


def contact_point_closed(**overrides) -> counselling.ContactPointClosed:
    fields = dict(event_id=uuid4(), region=Region.NW, occurred_on=date(2019, 6, 30),
                  recorded_at=datetime(2019, 7, 1, 9, 0, tzinfo=UTC), contact_point="koeln-01")
    return counselling.ContactPointClosed.model_validate(fields | overrides, strict=False)


def contact_point_corrected(**overrides) -> counselling.ContactPointCorrected:
    fields = dict(event_id=uuid4(), region=Region.NW, occurred_on=date(2018, 3, 1),
                  recorded_at=datetime(2019, 8, 1, 9, 0, tzinfo=UTC), contact_point="koeln-01",
                  contact_point_type="mobile", closed_on=None)
    return counselling.ContactPointCorrected.model_validate(fields | overrides, strict=False)


def contact_point_retracted(**overrides) -> counselling.ContactPointRetracted:
    fields = dict(event_id=uuid4(), region=Region.NW, occurred_on=date(2018, 1, 1),
                  recorded_at=datetime(2019, 9, 1, 9, 0, tzinfo=UTC), contact_point="koeln-01",
                  reason="entered_in_error")
    return counselling.ContactPointRetracted.model_validate(fields | overrides, strict=False)


def scheme_opened(**overrides) -> training.SchemeOpened:
    fields = dict(event_id=uuid4(), region=Region.BY, occurred_on=date(2019, 2, 1),
                  recorded_at=datetime(2019, 1, 20, 9, 0, tzinfo=UTC), scheme_id=uuid4(),
                  format=SchemeFormat.COURSE, measure_type=MeasureType.BRIDGE_TRAINING, occupation=NURSE,
                  planned_end=date(2019, 9, 30))
    return training.SchemeOpened.model_validate(fields | overrides, strict=False)


def stakeholder_event_held(**overrides) -> stakeholders.EventHeld:
    fields = dict(event_id=uuid4(), region=Region.HH, occurred_on=date(2019, 4, 10),
                  recorded_at=datetime(2019, 4, 11, 9, 0, tzinfo=UTC), activity_id=uuid4(),
                  format="training", target_group="labour_market", topic="intercultural_competence",
                  participants=12)
    return stakeholders.EventHeld.model_validate(fields | overrides, strict=False)


def consultation_held(**overrides) -> stakeholders.ConsultationHeld:
    fields = dict(event_id=uuid4(), region=Region.HH, occurred_on=date(2019, 4, 12),
                  recorded_at=datetime(2019, 4, 12, 9, 0, tzinfo=UTC), consultation_id=uuid4(),
                  organisation_id=uuid4(), organisation_type="sme", target_group="business",
                  topic="diversity_management")
    return stakeholders.ConsultationHeld.model_validate(fields | overrides, strict=False)


def fair_advice_given(**overrides) -> fair_integration.AdviceGiven:
    fields = dict(event_id=uuid4(), region=Region.BE, occurred_on=date(2019, 5, 2),
                  recorded_at=datetime(2019, 5, 2, 12, 0, tzinfo=UTC), session_id=uuid4(),
                  session_type="initial", topics={"wages"}, residence_status="tolerated",
                  person_ref=person_ref("f-1"))
    return fair_integration.AdviceGiven.model_validate(fields | overrides, strict=False)


def fair_event_held(**overrides) -> fair_integration.EventHeld:
    fields = dict(event_id=uuid4(), region=Region.BE, occurred_on=date(2019, 6, 5),
                  recorded_at=datetime(2019, 6, 5, 15, 0, tzinfo=UTC), activity_id=uuid4(),
                  topics={"working_time"}, participants=25)
    return fair_integration.EventHeld.model_validate(fields | overrides, strict=False)


def referred_to_fair_mobility(**overrides) -> fair_integration.ReferredToFairMobility:
    fields = dict(event_id=uuid4(), region=Region.BE, occurred_on=date(2019, 5, 3),
                  recorded_at=datetime(2019, 5, 3, 10, 0, tzinfo=UTC), referral_id=uuid4(),
                  person_ref=person_ref("f-2"), citizenship="PL")
    return fair_integration.ReferredToFairMobility.model_validate(fields | overrides, strict=False)
