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
