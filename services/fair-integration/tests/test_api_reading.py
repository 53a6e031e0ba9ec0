"""The read APIs: filters, paging, and regional analysts seeing only their region."""

import pytest

from .conftest import advice_body, analyst, error_of, group_event_body, referral_body, token

pytestmark = pytest.mark.kafka


@pytest.fixture
def sessions(client):
    """Four sessions in DE-NW and one in DE-BY, recorded by each region's recorder."""
    for day, topics, session_type in [("2019-01-10", ["wages"], "initial"), ("2019-02-10", ["wages", "holiday"],
                                      "follow_up"), ("2019-03-10", ["holiday"], "initial"),
                                      ("2019-04-10", ["social_benefits"], "initial")]:
        body = advice_body(occurred_on=day, topics=topics, session_type=session_type)
        assert client.post("/v1/advice-sessions", json=body, headers=token()).status_code == 201
    assert client.post("/v1/advice-sessions", json=advice_body(region="DE-BY"), headers=token("DE-BY")).status_code \
        == 201
    return client


def days(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["occurred_on"] for item in response.json()["items"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("region=DE-NW", ["2019-04-10", "2019-03-10", "2019-02-10", "2019-01-10"]),
    ("region=DE-NW&topic=wages", ["2019-02-10", "2019-01-10"]),
    ("region=DE-NW&topic=holiday&session_type=initial", ["2019-03-10"]),
    ("from=2019-02-01&to=2019-03-31", ["2019-03-10", "2019-03-04", "2019-02-10"]),
    ("region=DE-BY", ["2019-03-04"]),
    ("topic=dismissal_and_termination", []),
])
def test_advice_sessions_are_filtered(sessions, query, expected):
    assert days(sessions.get(f"/v1/advice-sessions?{query}", headers=analyst())) == expected


def test_advice_sessions_come_in_pages(sessions):
    first = sessions.get("/v1/advice-sessions?region=DE-NW&limit=3", headers=analyst()).json()
    second = sessions.get("/v1/advice-sessions?region=DE-NW&limit=3&offset=3", headers=analyst()).json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (4, 3, 1)
    assert first["items"][0]["topics"] == ["social_benefits"]


def test_a_regional_analyst_sees_only_its_region(sessions):
    own = sessions.get("/v1/advice-sessions", headers=analyst("DE-BY")).json()
    assert [item["region"] for item in own["items"]] == ["DE-BY"]
    assert days(sessions.get("/v1/advice-sessions?region=DE-NW", headers=analyst("DE-BY"))) == []
    nw_session = sessions.get("/v1/advice-sessions?region=DE-NW", headers=analyst()).json()["items"][0]
    assert sessions.get(f"/v1/advice-sessions/{nw_session['session_id']}",
                        headers=analyst("DE-BY")).status_code == 404


@pytest.mark.parametrize(("query", "field"), [
    ("from=2019-05-01&to=2019-04-01", "to"), ("topic=fishing", "topic"), ("session_type=x", "session_type"),
    ("region=DE-XX", "region"), ("limit=0", "limit"), ("limit=501", "limit"), ("offset=-1", "offset"),
    ("from=01.01.2019", "from"),
])
def test_bad_filters_are_refused_naming_the_parameter(client, query, field):
    response = client.get(f"/v1/advice-sessions?{query}", headers=analyst())
    assert response.status_code == 422
    assert field in error_of(response)["loc"]


def test_reading_needs_an_analyst(client):
    assert client.get("/v1/advice-sessions").status_code == 401
    assert client.get("/v1/referrals", headers=token()).status_code == 403


def test_group_events_and_referrals_are_listed_with_filters(client):
    for day, topics in [("2019-05-01", ["wages"]), ("2019-06-01", ["holiday"])]:
        client.post("/v1/group-events", json=group_event_body(held_on=day, topics=topics), headers=token())
    client.post("/v1/referrals", json=referral_body(occurred_on="2019-05-02"), headers=token())
    client.post("/v1/referrals", json=referral_body(occurred_on="2019-07-02"), headers=token())
    events = client.get("/v1/group-events?topic=holiday", headers=analyst()).json()
    assert [(item["held_on"], item["topics"]) for item in events["items"]] == [("2019-06-01", ["holiday"])]
    assert days(client.get("/v1/referrals?to=2019-06-30", headers=analyst())) == ["2019-05-02"]
