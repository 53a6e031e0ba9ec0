"""The group-event and referral APIs on the real broker and a real database: recording,
every kind of bad input (a 4xx naming the field, nothing stored), corrections, retractions."""

import pytest

from .conftest import NOTHING, analyst, error_of, group_event_body, referral_body, stored, token

pytestmark = pytest.mark.kafka

UNKNOWN = "8d0f4c1e-0000-4000-8000-000000000000"


def test_a_group_event_is_recorded_corrected_and_retracted(client):
    response = client.post("/v1/group-events", json=group_event_body(topics="wages;holiday"), headers=token())
    assert response.status_code == 201, response.text
    activity_id = response.json()["activity_id"]
    corrected = client.post(f"/v1/group-events/{activity_id}/correction", json=group_event_body(participants=40),
                            headers=token())
    assert corrected.status_code == 200 and corrected.json()["event_type"] == "EventCorrected"
    assert client.get(f"/v1/group-events/{activity_id}", headers=analyst()).json()["participants"] == 40
    retracted = client.post(f"/v1/group-events/{activity_id}/retraction", json={"reason": "duplicate"},
                            headers=token())
    assert retracted.status_code == 200 and retracted.json()["event_type"] == "EventRetracted"
    again = client.post(f"/v1/group-events/{activity_id}/retraction", json={"reason": "duplicate"}, headers=token())
    assert again.status_code == 409
    assert stored(client) == NOTHING | {"group_events": 1, "outbox": 3}


@pytest.mark.parametrize(("overrides", "field", "reason"), [
    ({"participants": -1}, "participants", "greater than or equal to 0"),
    ({"participants": True}, "participants", "not true or false"),
    ({"participants": 100_001}, "participants", "less than or equal to 100000"),
    ({"participants": 2.5}, "participants", "integer"),
    ({"topics": []}, "topics", "at least 1"),
    ({"topics": ["fishing"]}, "topics", "Input should be"),
    ({"held_on": "2999-01-01"}, "held_on", "in the future"),
    ({"held_on": "1999-05-03"}, "held_on", "before the IQ programme began (2005-01-01)"),
    ({"held_on": "yesterday"}, "held_on", "date"),
    ({"region": "NRW"}, "region", "Input should be"),
    ({"occurred_on": "2019-03-05"}, "occurred_on", "Extra inputs are not permitted"),
])
def test_a_bad_group_event_is_refused_and_nothing_is_stored(client, overrides, field, reason):
    response = client.post("/v1/group-events", json=group_event_body(**overrides), headers=token())
    assert response.status_code == 422, response.text
    assert field in error_of(response)["loc"] and reason in error_of(response)["msg"]
    assert stored(client) == NOTHING


@pytest.mark.parametrize(("headers", "code"), [({}, 401), (analyst("DE-NW"), 403), (token("DE-HE"), 403)])
def test_only_a_recorder_of_the_region_records_group_events(client, headers, code):
    assert client.post("/v1/group-events", json=group_event_body(), headers=headers).status_code == code
    assert stored(client) == NOTHING


def test_an_unknown_group_event_is_not_found(client):
    correct = client.post(f"/v1/group-events/{UNKNOWN}/correction", json=group_event_body(), headers=token())
    retract = client.post(f"/v1/group-events/{UNKNOWN}/retraction", json={"reason": "other"}, headers=token())
    read = client.get(f"/v1/group-events/{UNKNOWN}", headers=analyst())
    assert (correct.status_code, retract.status_code, read.status_code) == (404, 404, 404)
    assert stored(client) == NOTHING


def test_a_referral_is_recorded_and_retracted(client):
    response = client.post("/v1/referrals", json=referral_body(), headers=token())
    assert response.status_code == 201, response.text
    assert response.json()["event_type"] == "ReferredToFairMobility"
    referral_id = response.json()["referral_id"]
    fetched = client.get(f"/v1/referrals/{referral_id}", headers=analyst()).json()
    assert fetched["citizenship"] == "RO" and "F-18" not in str(fetched)
    retracted = client.post(f"/v1/referrals/{referral_id}/retraction", json={"reason": "wrong_region"},
                            headers=token())
    assert retracted.status_code == 200 and retracted.json()["event_type"] == "ReferralRetracted"
    again = client.post(f"/v1/referrals/{referral_id}/retraction", json={"reason": "other"}, headers=token())
    unknown = client.post(f"/v1/referrals/{UNKNOWN}/retraction", json={"reason": "other"}, headers=token())
    assert (again.status_code, unknown.status_code) == (409, 404)
    assert stored(client) == NOTHING | {"referrals": 1, "outbox": 2}


@pytest.mark.parametrize(("overrides", "field", "reason"), [
    ({"citizenship": "SY"}, "citizenship", "advise third-country nationals here"),
    ({"citizenship": "CH"}, "citizenship", "advise third-country nationals here"),
    ({"citizenship": "XX"}, "citizenship", "advise third-country nationals here"),  # stateless or unclear
    ({"citizenship": "ZZ"}, "citizenship", "not an ISO 3166-1 country"),
    ({"citizenship": "ro"}, "citizenship", "pattern"),
    ({"occurred_on": "2999-01-01"}, "occurred_on", "in the future"),
    ({"occurred_on": "0219-05-03"}, "occurred_on", "before the IQ programme began (2005-01-01)"),
    ({"person_id": ""}, "person_id", "at least 1"),
    ({"topics": ["wages"]}, "topics", "Extra inputs are not permitted"),
    ({"region": "DE-XX"}, "region", "Input should be"),
])
def test_a_bad_referral_is_refused_and_nothing_is_stored(client, overrides, field, reason):
    response = client.post("/v1/referrals", json=referral_body(**overrides), headers=token())
    assert response.status_code == 422, response.text
    assert field in error_of(response)["loc"] and reason in error_of(response)["msg"]
    assert stored(client) == NOTHING


@pytest.mark.parametrize(("headers", "code"), [({}, 401), (analyst("DE-NW"), 403), (token("DE-BE"), 403)])
def test_only_a_recorder_of_the_region_records_referrals(client, headers, code):
    assert client.post("/v1/referrals", json=referral_body(), headers=headers).status_code == code
    assert stored(client) == NOTHING


def test_the_openapi_document_describes_every_record(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/v1/advice-sessions", "/v1/advice-sessions/{session_id}/correction",
                 "/v1/advice-sessions/import", "/v1/group-events", "/v1/group-events/{activity_id}/retraction",
                 "/v1/group-events/import", "/v1/referrals", "/v1/referrals/{referral_id}/retraction",
                 "/v1/referrals/import"):
        assert path in paths, path
