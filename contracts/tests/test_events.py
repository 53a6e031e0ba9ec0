import json
from datetime import date

import pytest
from pydantic import ValidationError

from iq_contracts import registry
from iq_contracts.codes import OccupationClassification
from iq_contracts.events import counselling
from tests.factories import advice_given, scheme_completed, scheme_started


def test_an_event_survives_the_wire_unchanged():
    event = advice_given()
    assert registry.read_event(event.ce_type(), event.model_dump_json()).model_dump() == event.model_dump()


def test_the_type_names_context_event_and_version():
    assert counselling.AdviceGiven.ce_type() == "de.netzwerk-iq.counselling.AdviceGiven.v1"


def test_every_event_type_has_a_topic_and_a_unique_type():
    assert len(registry.BY_CE_TYPE) == len(registry.EVENT_TYPES)
    for event_type in registry.EVENT_TYPES:
        assert registry.topic_of(event_type).startswith("iq.")


def test_producers_reject_unknown_fields():
    with pytest.raises(ValidationError, match="extra_forbidden"):
        advice_given(nickname="x")


def test_producers_reject_a_naive_recording_time():
    with pytest.raises(ValidationError, match="recorded_at"):
        advice_given(recorded_at=date(2019, 1, 1))


def test_events_are_immutable():
    with pytest.raises(ValidationError):
        advice_given().kind = "job_training"


@pytest.mark.parametrize(
    ("classification", "code"),
    [(OccupationClassification.KLDB_2010, "8130"), (OccupationClassification.ISCO_08, "81302")],
)
def test_an_occupation_code_must_fit_its_classification(classification, code):
    with pytest.raises(ValidationError, match="digits"):
        advice_given(occupation={"classification": classification, "code": code})


def test_a_person_reference_must_be_a_pseudonym_not_a_name():
    with pytest.raises(ValidationError, match="person_ref"):
        advice_given(person_ref="Max Mustermann")


def test_consumers_ignore_fields_added_by_a_newer_producer():
    event = scheme_started()
    body = json.loads(event.model_dump_json()) | {"added_later": 1}
    assert registry.read_event(event.ce_type(), json.dumps(body)).enrolment_id == event.enrolment_id


def test_consumers_reject_an_unknown_type_by_name():
    with pytest.raises(registry.UnknownEventType, match="ce_type"):
        registry.read_event("de.netzwerk-iq.counselling.AdviceGiven.v9", b"{}")


def test_events_of_one_record_share_a_key():
    completed = scheme_completed()
    assert completed.aggregate_id == str(completed.enrolment_id)
