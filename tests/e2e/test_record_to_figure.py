"""End to end: the service processes, started as `make run` starts them, over real HTTP,
the real broker and SQLite files: an advice session recorded becomes a figure."""


import pytest

from iq_runtime.auth import Role, issue_token
from tests.e2e.processes import SECRET, call, running
from tests.kafka_helpers import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]





@pytest.fixture
def platform(kafka, tmp_path):
    with running(["counselling", "reporting"], kafka, tmp_path) as urls:
        yield urls


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
