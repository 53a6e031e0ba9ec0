"""Every record type reaches `iq.fair-integration.v1` through the outbox relay of the running
service: the right event type, the record's id as key, CloudEvents headers, a trace, and no
citizenship or local person id in the advice events."""

import json

import pytest

from iq_contracts.events.fair_integration import AdviceGiven
from iq_contracts.topics import FAIR_INTEGRATION
from tests.kafka_helpers import read_all

from .conftest import advice_body, group_event_body, referral_body, token

pytestmark = pytest.mark.kafka


def post(client, path: str, body: dict) -> dict:
    response = client.post(path, json=body, headers=token())
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_each_record_type_arrives_as_its_event_keyed_by_the_record(client, kafka):
    session = post(client, "/v1/advice-sessions", advice_body(person_id="LOCAL-4711"))["session_id"]
    post(client, f"/v1/advice-sessions/{session}/correction", advice_body(person_id="LOCAL-4711", topics=["other"]))
    post(client, f"/v1/advice-sessions/{session}/retraction", {"reason": "duplicate"})
    activity = post(client, "/v1/group-events", group_event_body())["activity_id"]
    post(client, f"/v1/group-events/{activity}/correction", group_event_body(participants=12))
    post(client, f"/v1/group-events/{activity}/retraction", {"reason": "entered_in_error"})
    referral = post(client, "/v1/referrals", referral_body())["referral_id"]
    post(client, f"/v1/referrals/{referral}/retraction", {"reason": "other"})

    messages = await read_all(kafka, FAIR_INTEGRATION, expected=8)
    # one partition per record at most: order holds per key, not across records
    arrived: dict[str, list[str]] = {}
    for message in messages:
        arrived.setdefault(message.key.decode(), []).append(dict(message.headers)["ce_type"].decode())
    assert arrived == {key: [f"de.netzwerk-iq.fair-integration.{name}.v1" for name in names] for key, names in [
        (session, ["AdviceGiven", "AdviceCorrected", "AdviceRetracted"]),
        (activity, ["EventHeld", "EventCorrected", "EventRetracted"]),
        (referral, ["ReferredToFairMobility", "ReferralRetracted"])]}
    by_type = {dict(m.headers)["ce_type"].decode().split(".")[3]: m for m in messages}
    for message in messages:
        headers = dict(message.headers)
        body = json.loads(message.value)
        assert headers["ce_id"].decode() == body["event_id"]
        assert headers["ce_source"] == b"/iq/DE-NW/fair-integration"
        assert headers["traceparent"].decode().startswith("00-")

    AdviceGiven.model_validate_json(by_type["AdviceGiven"].value)  # exactly the contract: no extra fields
    for name in ("AdviceGiven", "AdviceCorrected", "AdviceRetracted"):
        value = by_type[name].value
        assert b"LOCAL-4711" not in value and b"citizenship" not in value and b'"SY"' not in value
    assert json.loads(by_type["ReferredToFairMobility"].value)["citizenship"] == "RO"  # the EU/EEA country
