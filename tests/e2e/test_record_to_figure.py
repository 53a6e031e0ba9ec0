"""End to end: the service processes, started as `make run` starts them, over real HTTP,
the real broker and SQLite files: an advice session recorded becomes a figure."""

import json
import urllib.request

import pytest

from iq_runtime.auth import Role, issue_token
from iq_runtime.local_broker import free_port
from iq_runtime.platform import start_service, stop_all, wait_healthy
from tests.kafka_helpers import FAST_GROUP_ENV, eventually

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

SECRET = "end-to-end-test-secret-long-enough-for-hs256"


def call(url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def platform(kafka, tmp_path):
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka, "IQ_AUTH_SECRET": SECRET, **FAST_GROUP_ENV}
    services = [start_service(name, free_port(), env, tmp_path) for name in ("counselling", "reporting")]
    try:
        for service in services:
            wait_healthy(service)
        yield {service.name: service.url for service in services}
    finally:
        stop_all(services)
    for service in services:  # uvicorn re-raises SIGTERM after a graceful shutdown
        log = (tmp_path / f"{service.name}.log").read_text()
        assert "Application shutdown complete" in log, f"{service.name} did not shut down cleanly:\n{log[-2000:]}"


async def test_a_recorded_session_shows_up_in_the_figures(platform):
    recorder = issue_token(SECRET, "adviser", "DE-NW", Role.RECORDER)
    analyst = issue_token(SECRET, "office", "national", Role.ANALYST)
    figures_url = f"{platform['reporting']}/v1/figures?from=2019-01-01&to=2019-12-31&as_of=2030-01-01"
    assert call(figures_url, analyst)[1]["counselling"]["initial_advice_sessions"] == 0

    status, body = call(f"{platform['counselling']}/v1/contact-points", recorder, {
        "region": "DE-NW", "code": "koeln-01", "type": "mobile", "opened_on": "2019-01-01"})
    assert status == 201, body
    for kind in ("recognition", "recognition", "job_training"):
        status, body = call(f"{platform['counselling']}/v1/advice-sessions", recorder, {
            "region": "DE-NW", "contact_point": "koeln-01", "occurred_on": "2019-05-06", "kind": kind,
            "mode": "video", "occupation": {"classification": "isco08", "code": "2221"},
            "qualification_country": "UA", "occupation_regulated": True, "person_id": f"P-{kind}"})
        assert status == 201, body

    async def three_sessions():
        figures = call(figures_url, analyst)[1]["counselling"]
        return figures if figures["initial_advice_sessions"] == 3 else None

    figures = await eventually(three_sessions, timeout=30)
    assert figures, "the figures never showed the three sessions"
    assert figures["initial_advice_by_kind"] == {"recognition": 2, "job_training": 1,
                                                 "recognition_and_job_training": 0}
