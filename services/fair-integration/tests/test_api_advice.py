"""The advice-session API with its lifespan, the real broker and a real database. Every
rejection path: a 4xx naming the field, nothing stored."""

import pytest

from .conftest import NOTHING, advice_body, analyst, error_of, stored, token

pytestmark = pytest.mark.kafka

UNKNOWN = "8d0f4c1e-0000-4000-8000-000000000000"


def record(client, **overrides) -> str:
    response = client.post("/v1/advice-sessions", json=advice_body(**overrides), headers=token())
    assert response.status_code == 201, response.text
    return response.json()["session_id"]


def test_a_recorded_session_is_stored_with_its_event(client):
    response = client.post("/v1/advice-sessions", json=advice_body(topics=["wages", "wages"]), headers=token())
    assert response.status_code == 201, response.text
    assert response.json()["event_type"] == "AdviceGiven"
    assert stored(client) == NOTHING | {"advice_sessions": 1, "outbox": 1}
    fetched = client.get(f"/v1/advice-sessions/{response.json()['session_id']}", headers=analyst()).json()
    assert (fetched["topics"], fetched["citizenship"], fetched["retracted"]) == (["wages"], "SY", False)
    assert "F-17" not in str(fetched)  # only the pseudonym is kept


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"region": "DE-XX"}, "region", "Input should be"),
        ({"occurred_on": "2019-02-30"}, "occurred_on", "date"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "in the future"),
        ({"occurred_on": "0219-05-03"}, "occurred_on", "before the IQ programme began (2005-01-01)"),
        ({"session_type": "second"}, "session_type", "Input should be"),
        ({"topics": []}, "topics", "at least 1"),
        ({"topics": ["wages", "astrology"]}, "topics", "Input should be"),
        ({"residence_status": "passport"}, "residence_status", "Input should be"),
        ({"citizenship": "Syria"}, "citizenship", "pattern"),
        ({"citizenship": "ZZ"}, "citizenship", "not an ISO 3166-1 country"),
        ({"citizenship": None}, "citizenship", "valid string"),
        ({"citizenship": "PL"}, "citizenship", "record a referral to Fair Mobility instead"),
        ({"citizenship": "DE"}, "citizenship", "record a referral to Fair Mobility instead"),
        ({"person_id": ""}, "person_id", "at least 1"),
        ({"name": "Max"}, "name", "Extra inputs are not permitted"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, overrides, field, reason):
    response = client.post("/v1/advice-sessions", json=advice_body(**overrides), headers=token())
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert field in error["loc"], error
    assert reason in error["msg"]
    assert stored(client) == NOTHING


def test_topics_may_also_come_as_one_cell_separated_by_semicolons(client):
    session_id = record(client, topics="holiday;wages;holiday")
    assert client.get(f"/v1/advice-sessions/{session_id}", headers=analyst()).json()["topics"] == ["holiday", "wages"]


@pytest.mark.parametrize("field", ["region", "occurred_on", "topics", "citizenship", "person_id"])
def test_a_missing_field_is_named(client, field):
    body = advice_body()
    del body[field]
    response = client.post("/v1/advice-sessions", json=body, headers=token())
    assert response.status_code == 422
    assert error_of(response)["loc"] == ["body", field]
    assert stored(client) == NOTHING


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post("/v1/advice-sessions", content=b"region=DE-NW",
                           headers=token() | {"content-type": "application/json"})
    assert response.status_code == 422
    assert stored(client) == NOTHING


@pytest.mark.parametrize(("headers", "code"), [
    ({}, 401), ({"Authorization": "Bearer not-a-token"}, 401), (analyst("DE-NW"), 403), (token("DE-BY"), 403),
])
def test_only_a_recorder_of_the_region_records(client, headers, code):
    assert client.post("/v1/advice-sessions", json=advice_body(), headers=headers).status_code == code
    assert stored(client) == NOTHING


def test_a_correction_replaces_the_state_and_is_a_new_event(client):
    session_id = record(client)
    response = client.post(f"/v1/advice-sessions/{session_id}/correction", headers=token(),
                           json=advice_body(topics=["social_benefits"], session_type="follow_up"))
    assert response.status_code == 200, response.text
    assert response.json()["event_type"] == "AdviceCorrected"
    fetched = client.get(f"/v1/advice-sessions/{session_id}", headers=analyst()).json()
    assert (fetched["topics"], fetched["session_type"]) == (["social_benefits"], "follow_up")
    assert fetched["corrected_at"] is not None
    assert stored(client) == NOTHING | {"advice_sessions": 1, "outbox": 2}


@pytest.mark.parametrize(("overrides", "field", "code", "reason"), [
    ({"citizenship": "AT"}, "citizenship", 422, "Fair Mobility"),
    ({"occurred_on": "2999-01-01"}, "occurred_on", 422, "in the future"),
    ({"topics": []}, "topics", 422, "at least 1"),
    ({"region": "DE-BY"}, "region", 403, "your token records for DE-NW"),
])
def test_a_bad_correction_is_refused_and_changes_nothing(client, overrides, field, code, reason):
    session_id = record(client)
    response = client.post(f"/v1/advice-sessions/{session_id}/correction", json=advice_body(**overrides),
                           headers=token())
    assert response.status_code == code, response.text
    assert field in error_of(response)["loc"] and reason in error_of(response)["msg"]
    assert client.get(f"/v1/advice-sessions/{session_id}", headers=analyst()).json()["corrected_at"] is None
    assert stored(client) == NOTHING | {"advice_sessions": 1, "outbox": 1}


def test_a_session_of_another_region_cannot_be_changed(client):
    session_id = record(client)
    as_bavaria = client.post(f"/v1/advice-sessions/{session_id}/correction", json=advice_body(region="DE-BY"),
                             headers=token("DE-BY"))
    retract = client.post(f"/v1/advice-sessions/{session_id}/retraction", json={"reason": "duplicate"},
                          headers=token("DE-BY"))
    assert (as_bavaria.status_code, retract.status_code) == (404, 404)
    assert stored(client)["outbox"] == 1


def test_a_retraction_is_a_new_event_and_happens_once(client):
    session_id = record(client)
    url = f"/v1/advice-sessions/{session_id}/retraction"
    response = client.post(url, json={"reason": "entered_in_error"}, headers=token())
    assert response.status_code == 200, response.text
    assert response.json()["event_type"] == "AdviceRetracted"
    fetched = client.get(f"/v1/advice-sessions/{session_id}", headers=analyst()).json()
    assert (fetched["retracted"], fetched["retraction_reason"]) == (True, "entered_in_error")
    again = client.post(url, json={"reason": "duplicate"}, headers=token())
    corrected = client.post(f"/v1/advice-sessions/{session_id}/correction", json=advice_body(), headers=token())
    assert (again.status_code, corrected.status_code) == (409, 409)
    assert "retracted" in error_of(again)["msg"]
    assert stored(client) == NOTHING | {"advice_sessions": 1, "outbox": 2}


@pytest.mark.parametrize(("path", "body", "code", "field"), [
    (f"{UNKNOWN}/retraction", {"reason": "duplicate"}, 404, "id"),
    (f"{UNKNOWN}/correction", advice_body(), 404, "id"),
    ("not-a-uuid/retraction", {"reason": "duplicate"}, 422, "session_id"),
    ("{id}/retraction", {"reason": "changed my mind"}, 422, "reason"),
    ("{id}/retraction", {}, 422, "reason"),
    ("{id}/retraction", {"reason": "duplicate", "note": "Max Mustermann"}, 422, "note"),
])
def test_a_bad_retraction_is_refused(client, path, body, code, field):
    session_id = record(client)
    response = client.post(f"/v1/advice-sessions/{path.format(id=session_id)}", json=body, headers=token())
    assert response.status_code == code, response.text
    assert field in error_of(response)["loc"]
    assert stored(client) == NOTHING | {"advice_sessions": 1, "outbox": 1}


def test_an_unknown_session_is_not_found(client):
    assert client.get(f"/v1/advice-sessions/{UNKNOWN}", headers=analyst()).status_code == 404
