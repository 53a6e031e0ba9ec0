"""End to end: the `iq-fair-integration` process, started as `make run` starts it, over real
HTTP, the real broker and a SQLite file: advice, a refused EU/EEA citizen, a referral and a
group event are recorded and arrive on the topic."""


import pytest

from iq_contracts.topics import FAIR_INTEGRATION
from iq_runtime.auth import Role, issue_token
from tests.e2e.processes import SECRET, call, running
from tests.kafka_helpers import read_all

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]





@pytest.fixture
def service(kafka, tmp_path):
    with running(["fair-integration"], kafka, tmp_path) as urls:
        yield urls["fair-integration"]


async def test_records_posted_over_http_arrive_on_the_topic(service, kafka):
    recorder = issue_token(SECRET, "adviser", "DE-NW", Role.RECORDER)
    advice = {"region": "DE-NW", "occurred_on": "2019-05-06", "topics": ["wages", "working_time"],
              "residence_status": "protection_status", "citizenship": "AF", "person_id": "E2E-1"}
    status, given = call(f"{service}/v1/advice-sessions", recorder, advice)
    assert status == 201, given
    status, refused = call(f"{service}/v1/advice-sessions", recorder, advice | {"citizenship": "BG"})
    assert status == 422 and refused["detail"][0]["loc"] == ["body", "citizenship"]
    status, referral = call(f"{service}/v1/referrals", recorder, {
        "region": "DE-NW", "occurred_on": "2019-05-06", "citizenship": "BG", "person_id": "E2E-2"})
    assert status == 201, referral
    status, held = call(f"{service}/v1/group-events", recorder, {
        "region": "DE-NW", "held_on": "2019-05-07", "topics": ["health_insurance"], "participants": 18})
    assert status == 201, held

    messages = await read_all(kafka, FAIR_INTEGRATION, expected=3, timeout=30)
    arrived = {message.key.decode(): dict(message.headers)["ce_type"].decode() for message in messages}
    assert arrived == {given["session_id"]: "de.netzwerk-iq.fair-integration.AdviceGiven.v1",
                       referral["referral_id"]: "de.netzwerk-iq.fair-integration.ReferredToFairMobility.v1",
                       held["activity_id"]: "de.netzwerk-iq.fair-integration.EventHeld.v1"}
