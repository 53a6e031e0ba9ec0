import pytest

from iq_contracts.envelope import Envelope, EnvelopeError, envelope_for
from tests.factories import advice_given

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_the_envelope_carries_cloudevents_attributes_as_headers():
    event = advice_given()
    headers = dict(envelope_for(event, "counselling", TRACEPARENT).kafka_headers())
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_id"] == str(event.event_id).encode()
    assert headers["ce_source"] == b"/iq/DE-NW/counselling"
    assert headers["ce_type"] == b"de.netzwerk-iq.counselling.AdviceGiven.v1"
    assert headers["ce_subject"] == str(event.session_id).encode()
    assert headers["content-type"] == b"application/json"
    assert headers["traceparent"] == TRACEPARENT.encode()


def test_headers_read_back_into_the_same_envelope():
    envelope = envelope_for(advice_given(), "counselling", TRACEPARENT)
    assert Envelope.from_kafka_headers(envelope.kafka_headers()) == envelope


def test_a_missing_attribute_is_named():
    headers = [h for h in envelope_for(advice_given(), "counselling").kafka_headers() if h[0] != "ce_type"]
    with pytest.raises(EnvelopeError, match="ce_type"):
        Envelope.from_kafka_headers(headers)


def test_headers_of_another_spec_version_are_rejected():
    with pytest.raises(EnvelopeError, match="ce_specversion"):
        Envelope.from_kafka_headers([("ce_specversion", b"0.3")])
