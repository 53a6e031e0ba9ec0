"""End to end: the `iq-stakeholders` process, over real HTTP, the real broker and a SQLite
file: an organisation, a training and a consultation recorded reach `iq.stakeholders.v1`."""

import json
import urllib.request

import pytest

from iq_contracts import topics
from iq_runtime.auth import Role, issue_token
from iq_runtime.local_broker import free_port
from iq_runtime.platform import start_service, stop_all, wait_healthy
from tests.kafka_helpers import FAST_GROUP_ENV, read_all

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

SECRET = "end-to-end-test-secret-long-enough-for-hs256"


def post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def stakeholders(kafka, tmp_path):
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka, "IQ_AUTH_SECRET": SECRET, "IQ_REGION": "DE-NW", **FAST_GROUP_ENV}
    service = start_service("stakeholders", free_port(), env, tmp_path)
    try:
        wait_healthy(service)
        yield service.url
    finally:
        stop_all([service])
    log = (tmp_path / "stakeholders.log").read_text()
    assert "Application shutdown complete" in log, f"stakeholders did not shut down cleanly:\n{log[-2000:]}"


async def test_recorded_activities_and_consultations_are_published(stakeholders, kafka):
    recorder = issue_token(SECRET, "project-staff", "DE-NW", Role.RECORDER)
    status, chamber = post(f"{stakeholders}/v1/organisations", recorder, {
        "region": "DE-NW", "code": "ihk-koeln", "type": "chamber", "name": "IHK Köln"})
    assert status == 201, chamber
    status, training = post(f"{stakeholders}/v1/activities", recorder, {
        "region": "DE-NW", "format": "training", "target_group": "labour_market", "topic": "intercultural_competence",
        "held_on": "2019-05-06", "participants": 16})
    assert status == 201, training
    status, consultation = post(f"{stakeholders}/v1/consultations", recorder, {
        "region": "DE-NW", "organisation_id": chamber["organisation_id"], "topic": "organisational_development",
        "held_on": "2019-05-07"})
    assert status == 201, consultation
    status, refused = post(f"{stakeholders}/v1/activities", recorder, {
        "region": "DE-NW", "format": "training", "target_group": "labour_market", "topic": "intercultural_competence",
        "held_on": "2019-05-06", "participants": -1})
    assert (status, refused["detail"][0]["loc"]) == (422, ["body", "participants"])

    messages = await read_all(kafka, topics.STAKEHOLDERS, expected=2, timeout=30)
    published = {m.key.decode(): json.loads(m.value) for m in messages}
    assert published[training["id"]]["participants"] == 16
    assert published[consultation["id"]]["target_group"] == "labour_market"
    assert len(messages) == 2
