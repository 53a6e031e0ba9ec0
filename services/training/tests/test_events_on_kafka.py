"""Every training event type arrives on `iq.training.v1`, through the outbox and the relay
of the running service, keyed by its record's id and with its CloudEvents headers."""

import asyncio
import json

import pytest

from iq_contracts.events import training
from tests.kafka_helpers import read_all

from .conftest import completion_body, enrol, open_scheme, scheme_body, token

pytestmark = pytest.mark.kafka
RETRACT = {"region": "DE-NW", "reason": "entered_in_error"}


def test_each_event_type_arrives_with_its_key_and_headers(client, kafka):
    scheme_id = open_scheme(client)
    enrolment_id = enrol(client, scheme_id)
    for path, body in [
        (f"/v1/schemes/{scheme_id}/correction", scheme_body(measure_type="compensatory_measure")),
        (f"/v1/enrolments/{enrolment_id}/completion", completion_body()),
        (f"/v1/enrolments/{enrolment_id}/completion/correction", completion_body(outcome="other")),
        (f"/v1/enrolments/{enrolment_id}/completion/retraction", RETRACT),
        (f"/v1/enrolments/{enrolment_id}/retraction", RETRACT),
        (f"/v1/schemes/{scheme_id}/retraction", RETRACT),
    ]:
        assert client.post(path, json=body, headers=token()).status_code in (200, 201), path

    messages = asyncio.run(read_all(kafka, "iq.training.v1", expected=9))
    by_type = {dict(m.headers)["ce_type"].decode(): m for m in messages}
    expected = {
        training.SchemeOpened: scheme_id, training.SchemeCorrected: scheme_id, training.SchemeRetracted: scheme_id,
        training.SchemeStarted: enrolment_id, training.SchemeStartCorrected: enrolment_id,
        training.SchemeStartRetracted: enrolment_id, training.SchemeCompleted: enrolment_id,
        training.SchemeCompletionCorrected: enrolment_id, training.SchemeCompletionRetracted: enrolment_id,
    }
    assert len(messages) == 9 and set(by_type) == {event.ce_type() for event in expected}
    for event_type, key in expected.items():
        message = by_type[event_type.ce_type()]
        headers, body = dict(message.headers), json.loads(message.value)
        event_type.model_validate(body, strict=False)  # the body is the event itself
        assert message.key == key.encode(), event_type
        assert headers["ce_id"] == body["event_id"].encode()
        assert headers["ce_source"] == b"/iq/DE-NW/training"
        assert headers["traceparent"].decode().count("-") == 3
    started = json.loads(by_type[training.SchemeStarted.ce_type()].value)
    assert "A-17" not in json.dumps(started) and len(started["person_ref"]) == 64
