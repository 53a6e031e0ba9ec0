"""End to end: the demo year that `make run` loads, at a small scale, into the five service
processes over HTTP, the real broker and SQLite files. The figures show exactly what the
generator says it made (as of the year's end, and today after its corrections and
retractions), and loading it again changes nothing."""

import httpx
import pytest

from iq_runtime.auth import Role, issue_token
from iq_runtime.demo import generate
from iq_runtime.demo_figures import differences, expected
from iq_runtime.demo_load import load
from iq_runtime.demo_run import wait_for_figures
from iq_runtime.platform import SERVICES
from tests.e2e.processes import SECRET, running

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

SCALE = 0.03  # about 180 advice sessions, 12 schemes: seconds, not minutes
RECORDING = [name for name in SERVICES if name != "reporting"]


@pytest.fixture
def platform(kafka, tmp_path):
    with running(SERVICES, kafka, tmp_path) as urls:
        yield urls


def test_the_figures_show_the_demo_year_and_a_second_load_changes_nothing(platform):
    admin = issue_token(SECRET, "demo-loader", "national", Role.ADMIN)
    demo = generate(scale=SCALE)
    recording = {name: url for name, url in platform.items() if name != "reporting"}

    first = load(demo, recording, admin)
    assert first["counselling/advice-sessions"] == len(demo.records["counselling/advice-sessions"])
    wanted = expected(demo)
    assert wait_for_figures(platform["reporting"], admin, demo.year, wanted, RECORDING, timeout=60) == []

    def sheet(**query) -> dict:
        response = httpx.get(f"{platform['reporting']}/v1/figures", params={"period": str(demo.year), **query},
                             headers={"Authorization": f"Bearer {admin}"})
        assert response.status_code == 200, response.text
        return response.json()

    today = sheet()
    assert today["counselling"]["initial_advice_sessions"] == wanted["counselling"]["initial_advice_sessions"] > 0
    assert set(today["by_region"]) == set(wanted["by_region"]) and len(wanted["by_region"]) == 16
    # as of the year's end: only what had been recorded by then, before any correction
    year_end = expected(demo, as_of=demo.last_day)
    assert year_end != wanted, "the demo year has no late records or amendments to show"
    assert differences(year_end, sheet(as_of=demo.last_day.isoformat()), RECORDING) == []

    again = load(demo, recording, admin)
    assert set(again.values()) == {0}, again
    # the second load sent nothing new; give a stray event time to arrive before comparing
    assert wait_for_figures(platform["reporting"], admin, demo.year, wanted, RECORDING, timeout=5) == []
    assert sheet() == today


def test_the_demo_year_is_the_same_every_time_and_proportional_to_population():
    first, second = generate(scale=0.2), generate(scale=0.2)
    assert first.records == second.records and first.amendments == second.amendments
    sessions = expected(first)["by_region"]
    initial = {region: tree["counselling"]["initial_advice_sessions"] for region, tree in sessions.items()}
    assert min(initial["DE-NW"], initial["DE-BY"], initial["DE-BW"]) > max(initial["DE-HB"], initial["DE-SL"]) * 5
    rows = [row for rows in first.records.values() for row in rows if "recorded_at" in row]
    assert {row["region"] for row in first.records["counselling/advice-sessions"]} == set(sessions)
    assert all(row["recorded_at"][:10] >= row.get("occurred_on", row.get("held_on", "")) for row in rows
               if "occurred_on" in row or "held_on" in row)
