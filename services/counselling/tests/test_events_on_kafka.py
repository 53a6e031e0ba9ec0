"""Each record type reaches `iq.counselling.v1` on the real broker as the right event, keyed
by its record, with the CloudEvents headers and the request's trace."""

import asyncio
import json

import pytest

from iq_contracts.topics import COUNSELLING
from tests.kafka_helpers import read_all

from .conftest import post, session_body

pytestmark = pytest.mark.kafka
EVENT = "de.netzwerk-iq.counselling.{}.v1"


def test_every_counselling_record_arrives_as_its_event(client, kafka):
    # the client opened koeln-01 already: ContactPointOpened is the first event
    session_id = post(client, "/v1/advice-sessions", session_body()).json()["session_id"]
    post(client, f"/v1/advice-sessions/{session_id}/correction", session_body(mode="video"))
    post(client, f"/v1/advice-sessions/{session_id}/retraction", {"reason": "duplicate"})
    post(client, "/v1/contact-points/DE-NW/koeln-01/closure", {"closed_on": "2019-06-30"})

    messages = asyncio.run(read_all(kafka, COUNSELLING, expected=5))
    by_key: dict[str, list[str]] = {}
    for message in sorted(messages, key=lambda m: (m.partition, m.offset)):  # in order within a key
        by_key.setdefault(message.key.decode(), []).append(dict(message.headers)["ce_type"].decode())
    assert by_key == {
        "DE-NW/koeln-01": [EVENT.format("ContactPointOpened"), EVENT.format("ContactPointClosed")],
        session_id: [EVENT.format(name) for name in ("AdviceGiven", "AdviceCorrected", "AdviceRetracted")],
    }
    bodies = {json.loads(m.value)["event_id"]: json.loads(m.value) for m in messages}
    for message in messages:
        headers, body = dict(message.headers), json.loads(message.value)
        assert headers["ce_id"].decode() == body["event_id"]
        assert headers["ce_source"] == b"/iq/DE-NW/counselling"
        assert len(headers["traceparent"].decode().split("-")) == 4
        assert "A-17" not in message.value.decode()  # only the pseudonym travels
    assert {(b.get("mode"), b.get("reason")) for b in bodies.values() if "session_id" in b} == {
        ("in_person", None), ("video", None), (None, "duplicate")}
