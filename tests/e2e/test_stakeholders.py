"""End to end: the `iq-stakeholders` process, over real HTTP, the real broker and a SQLite
file: an organisation, a training and a consultation recorded reach `iq.stakeholders.v1`."""

import json

import pytest

from iq_contracts import topics
from iq_runtime.auth import Role, issue_token
from tests.e2e.processes import SECRET, call, running
from tests.kafka_helpers import read_all

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]





@pytest.fixture
def stakeholders(kafka, tmp_path):
    with running(["stakeholders"], kafka, tmp_path, IQ_REGION="DE-NW") as urls:
        yield urls["stakeholders"]


async def test_recorded_activities_and_consultations_are_published(stakeholders, kafka):
    recorder = issue_token(SECRET, "project-staff", "DE-NW", Role.RECORDER)
    status, chamber = call(f"{stakeholders}/v1/organisations", recorder, {
        "region": "DE-NW", "code": "ihk-koeln", "type": "chamber", "name": "IHK Köln"})
    assert status == 201, chamber
    status, training = call(f"{stakeholders}/v1/activities", recorder, {
        "region": "DE-NW", "format": "training", "target_group": "labour_market", "topic": "intercultural_competence",
        "held_on": "2019-05-06", "participants": 16})
    assert status == 201, training
    status, consultation = call(f"{stakeholders}/v1/consultations", recorder, {
        "region": "DE-NW", "organisation_id": chamber["organisation_id"], "topic": "organisational_development",
        "held_on": "2019-05-07"})
    assert status == 201, consultation
    status, refused = call(f"{stakeholders}/v1/activities", recorder, {
        "region": "DE-NW", "format": "training", "target_group": "labour_market", "topic": "intercultural_competence",
        "held_on": "2019-05-06", "participants": -1})
    assert (status, refused["detail"][0]["loc"]) == (422, ["body", "participants"])

    messages = await read_all(kafka, topics.STAKEHOLDERS, expected=2, timeout=30)
    published = {m.key.decode(): json.loads(m.value) for m in messages}
    assert published[training["id"]]["participants"] == 16
    assert published[consultation["id"]]["target_group"] == "labour_market"
    assert len(messages) == 2
