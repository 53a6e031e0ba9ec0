"""`GET /v1/figures` on the service as it runs: its lifespan consumes the real broker into a
real database (SQLite and PostgreSQL); events of every area go in through Kafka."""

import asyncio
import uuid
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from iq_contracts import topics
from iq_contracts.envelope import envelope_for
from iq_contracts.regions import Region
from iq_reporting.bootstrap import Settings, build_app
from iq_runtime.auth import Role, issue_token
from iq_runtime.context import BERLIN
from tests.factories import (
    advice_given,
    consultation_held,
    contact_point_opened,
    correction_of,
    fair_advice_given,
    fair_event_held,
    person_ref,
    referred_to_fair_mobility,
    retraction_of,
    scheme_completed,
    scheme_opened,
    scheme_started,
    stakeholder_event_held,
)
from tests.kafka_helpers import eventually, fast_group, produce, produce_raw, read_all

pytestmark = pytest.mark.kafka

SECRET = "reporting-api-test-secret-long-enough"
YEAR = "/v1/figures?period=2019&as_of=2020-02-20"


def token(region="national", role=Role.ANALYST) -> dict:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'office', region, role)}"}


@pytest.fixture
def client(kafka, database_url, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    with TestClient(build_app(Settings(database_url=database_url, kafka=fast_group(kafka)))) as client:
        yield client


def every_area():
    session, start = advice_given(person_ref=person_ref("a")), scheme_started()
    return [
        session, advice_given(person_ref=person_ref("a"), kind="job_training", region="DE-BY"),
        correction_of(session, mode="video", recorded_at=datetime(2019, 4, 1, 9, tzinfo=UTC)),
        contact_point_opened(), contact_point_opened(contact_point="bus-7", contact_point_type="mobile"),
        scheme_opened(), scheme_opened(format="individual"), start,
        scheme_completed(enrolment_id=start.enrolment_id, scheme_id=start.scheme_id),
        stakeholder_event_held(), consultation_held(),
        fair_advice_given(), fair_event_held(), referred_to_fair_mobility(),
    ]


async def test_events_of_every_area_on_kafka_become_the_sheet(client, kafka):
    events = every_area()
    for event in events:
        await produce(kafka, [event], service=event.context)

    async def complete():
        sheet = client.get(YEAR, headers=token()).json()
        return sheet if sheet["fair_integration"]["fair_mobility_referrals"] == 1 and \
            sheet["training"]["successful_completers"] == 1 and sheet["counselling"]["initial_advice_sessions"] == 2 \
            and sheet["counselling"]["contact_points"]["mobile"] == 1 \
            and sheet["intercultural_opening"]["labour_market"]["trainings"] == 1 else None  # four topics: any order

    sheet = await eventually(complete, timeout=30)
    assert sheet, client.get(YEAR, headers=token()).json()
    counselling = sheet["counselling"]
    assert counselling["initial_advice_sessions"] == 2
    assert counselling["sessions_by_mode"]["video"] == 1 and counselling["sessions_by_mode"]["in_person"] == 1
    assert counselling["contact_points"] == {"permanent": 1, "mobile": 1}
    assert counselling["top_occupations"][0] | {"label": None} == {"code": "81302", "label": None,
                                                                  "classification": "kldb2010", "count": 2}
    assert sheet["training"]["schemes_by_format"] == {"course": 1, "individual": 1}
    assert sheet["intercultural_opening"]["labour_market"]["training_participants"] == 12
    assert sheet["intercultural_opening"]["business"]["consultations"] == 1
    assert sheet["fair_integration"]["group_event_participants"] == 25
    assert sorted(sheet["by_region"]) == ["DE-BE", "DE-BY", "DE-HH", "DE-NW"]
    # one pseudonym in two regions: one person in each region, and one in the national total
    assert sheet["by_region"]["DE-BY"]["counselling"]["persons_advised"] == 1
    assert sheet["by_region"]["DE-NW"]["counselling"]["persons_advised"] == 1
    assert counselling["persons_advised"] == 1
    assert sheet["scope"] == ["national"] and sheet["period"] == {"from": "2019-01-01", "to": "2019-12-31"}


async def test_a_retraction_on_kafka_changes_the_sheet_from_its_recording_day(client, kafka):
    session = advice_given()
    await produce(kafka, [session, retraction_of(session, recorded_at=datetime(2020, 1, 10, 9, tzinfo=UTC))])

    async def retracted():
        return client.get(YEAR, headers=token()).json()["counselling"]["initial_advice_sessions"] == 0 and \
            client.get("/v1/figures?period=2019&as_of=2020-01-09", headers=token()).json()[
                "counselling"]["initial_advice_sessions"] == 1

    assert await eventually(retracted, timeout=30)


async def test_serve_parks_unreadable_events_from_its_projection_thread_and_its_api_starts_no_producer(
        client, kafka):
    # the API side publishes nothing; the projection's thread has a broker of its own for dead letters
    assert not client.app.state.runtime.broker.running
    unreadable = f"not json {uuid.uuid4()}".encode()  # ours, also on a broker shared with other tests
    headers = envelope_for(advice_given(), "counselling").kafka_headers()
    await produce_raw(kafka, topics.COUNSELLING, unreadable, headers)
    dead_letters = topics.dead_letter_topic(client.app.state.settings.consumer_group)

    async def parked():
        return [r for r in await read_all(kafka, dead_letters, expected=10**6, timeout=1) if r.value == unreadable]

    assert await eventually(parked, timeout=30)
    await asyncio.sleep(1)  # a second copy would be parked by now (it was, before the rewind sought at once)
    copies = [dict(record.headers) for record in await parked()]
    positions = [(c["iq_dlq_topic"], c["iq_dlq_partition"], c["iq_dlq_offset"]) for c in copies]
    # one copy per record on the topic (a producer's retry may have written it twice)
    assert len(set(positions)) == len(positions), positions
    assert {topic for topic, _, _ in positions} == {topics.COUNSELLING.encode()}
    assert all(c["iq_dlq_reason"].startswith(b"body") for c in copies)


def test_the_sheet_has_every_key_of_the_published_layout(client):
    sheet = client.get(YEAR, headers=token()).json()
    assert {"period", "as_of", "scope", "counselling", "training", "intercultural_opening", "fair_integration",
            "by_region"} <= set(sheet)
    assert {"initial_advice_sessions", "initial_advice_by_kind", "persons_advised", "contact_points",
            "sessions_by_mode", "top_occupations", "top_countries"} <= set(sheet["counselling"])
    assert {"schemes_started", "schemes_by_format", "participants_commencing", "successful_completers",
            "completers_by_outcome", "completions_in_period", "top_occupations", "esf"} <= set(sheet["training"])
    assert set(sheet["intercultural_opening"]) == {"labour_market", "business"}
    assert set(sheet["intercultural_opening"]["business"]) == {
        "trainings", "training_participants", "events", "event_participants", "consultations", "total_formats",
        "total_participants"}
    assert {"individuals_advised", "advice_sessions", "sessions_by_topic", "group_events",
            "group_event_participants", "fair_mobility_referrals"} <= set(sheet["fair_integration"])


def test_as_of_defaults_to_today_in_berlin(client):
    assert client.get("/v1/figures?period=2019", headers=token()).json()["as_of"] == \
        datetime.now(BERLIN).date().isoformat()


def test_a_regional_analyst_reads_their_region(client):
    response = client.get(f"{YEAR}&region=DE-NW", headers=token("DE-NW"))
    assert response.status_code == 200 and response.json()["scope"] == ["DE-NW"]
    assert list(response.json()["by_region"]) == ["DE-NW"]


@pytest.mark.parametrize("query", ["period=2019", "period=2019&region=DE-BY", "period=2019&region=DE-NW&region=DE-BY"])
def test_a_regional_analyst_reads_no_other_scope(client, query):
    response = client.get(f"/v1/figures?{query}", headers=token("DE-NW"))
    assert response.status_code == 403
    assert response.json()["detail"][0]["loc"][-1] == "region"


def test_the_figures_need_an_analyst_token(client):
    assert client.get(YEAR).status_code == 401
    assert client.get(YEAR, headers=token("DE-NW", Role.RECORDER)).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=2019-Q5", "period"),
        ("period=2019&from=2019-01-01", "period"),
        ("from=2019-05-01&to=2019-04-01", "to"),
        ("from=2019-02-30", "from"),
        ("to=yesterday", "to"),
        ("period=2019&as_of=2020-13-01", "as_of"),
        ("period=2019&region=DE-XX", "region"),
        ("period=2019&region=national", "region"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(client, query, field):
    response = client.get(f"/v1/figures?{query}", headers=token())
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"][0]["loc"], response.json()


def test_every_region_code_is_accepted(client):
    for region in (Region.BW, Region.TH):
        assert client.get(f"{YEAR}&region={region.value}", headers=token()).status_code == 200


def test_a_period_of_one_day(client):
    sheet = client.get("/v1/figures?from=2019-03-04&to=2019-03-04", headers=token()).json()
    assert sheet["period"] == {"from": "2019-03-04", "to": "2019-03-04"}
    assert date.fromisoformat(sheet["as_of"]) >= date(2019, 3, 4)


async def test_the_figures_answer_while_the_projection_holds_its_loop(kafka, database_url, monkeypatch):
    """A backlog window holds the projection's event loop for seconds (the SQLite driver runs
    on it). Here a window is held until the test lets it go: the sheet must still answer
    meanwhile, as it does only when the projection has a loop of its own."""
    import threading

    from iq_reporting.projector import Projector

    holding, release, let_go = threading.Event(), threading.Event(), threading.Event()
    flush = Projector.flush

    async def held_flush(self, session):
        holding.set()
        release.wait(20)  # blocks the loop it runs on, as a long window's statements do
        let_go.set()
        await flush(self, session)

    async def began():
        return holding.is_set() or None

    monkeypatch.setattr(Projector, "flush", held_flush)
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    with TestClient(build_app(Settings(database_url=database_url, kafka=fast_group(kafka)))) as client:
        await produce(kafka, [advice_given()], service="counselling")
        try:
            assert await eventually(began, timeout=30), "no window began"
            answer = client.get(YEAR, headers=token())
            answered_while_held = not let_go.is_set()
        finally:
            release.set()  # also when the test fails: a held window would outlive it
        assert answer.status_code == 200 and answered_while_held
        assert answer.json()["counselling"]["initial_advice_sessions"] == 0  # the held window: not yet

        async def visible():
            return client.get(YEAR, headers=token()).json()["counselling"]["initial_advice_sessions"] == 1 or None
        assert await eventually(visible, timeout=30)

