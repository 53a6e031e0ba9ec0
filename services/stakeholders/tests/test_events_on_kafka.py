"""Each event type, recorded over the API, arrives on `iq.stakeholders.v1` from the outbox
relay, keyed by its record id, with the CloudEvents headers and the request's trace."""

import json

import pytest

from iq_contracts import topics
from tests.kafka_helpers import read_all

from .conftest import activity_body, consultation_body, token

pytestmark = pytest.mark.kafka

CE_TYPE = "de.netzwerk-iq.stakeholders.{}.v1"


async def test_every_event_type_arrives_with_its_key_and_headers(client, job_centre, kafka):
    activity = client.post("/v1/activities", json=activity_body(), headers=token()).json()
    client.post(f"/v1/activities/{activity['id']}/correction", json=activity_body(participants=30), headers=token())
    client.post(f"/v1/activities/{activity['id']}/retraction", json={"reason": "duplicate"}, headers=token())
    consultation = client.post("/v1/consultations", json=consultation_body(), headers=token()).json()
    client.post(f"/v1/consultations/{consultation['id']}/correction",
                json=consultation_body(topic="diversity_management"), headers=token())
    client.post(f"/v1/consultations/{consultation['id']}/retraction", json={"reason": "entered_in_error"},
                headers=token())

    messages = await read_all(kafka, topics.STAKEHOLDERS, expected=6, timeout=30)
    by_key: dict[str, list[str]] = {}  # order holds within a key (one partition), not across keys
    for message in messages:
        by_key.setdefault(message.key.decode(), []).append(dict(message.headers)["ce_type"].decode())
    assert by_key == {
        activity["id"]: [CE_TYPE.format(name) for name in ("EventHeld", "EventCorrected", "EventRetracted")],
        consultation["id"]: [CE_TYPE.format(name) for name in
                             ("ConsultationHeld", "ConsultationCorrected", "ConsultationRetracted")],
    }
    bodies = {json.loads(m.value)["event_id"]: json.loads(m.value) for m in messages}
    for message in messages:
        headers = dict(message.headers)
        body = json.loads(message.value)
        assert headers["ce_id"].decode() == body["event_id"]
        assert headers["ce_source"] == b"/iq/DE-NW/stakeholders"
        assert headers["content-type"] == b"application/json"
        assert headers["traceparent"].decode().startswith("00-")
        assert "Köln" not in message.value.decode()  # organisation names stay in the service
    assert {body.get("participants") for body in bodies.values()} == {12, 30, None}
    assert {body.get("organisation_type") for body in bodies.values()} == {"job_centre", None}
