"""The HTTP API of the counselling service, running with its lifespan against the real
broker and a real database. Every rejection path: a 4xx naming the field, nothing stored."""

import pytest

from iq_runtime.auth import Role

from .conftest import session_body, stored, token

pytestmark = pytest.mark.kafka


def test_a_recorded_session_is_stored_with_its_event(client):
    response = client.post("/v1/advice-sessions", json=session_body(), headers=token())
    assert response.status_code == 201, response.text
    assert stored(client) == (1, 1)
    fetched = client.get(f"/v1/advice-sessions/{response.json()['session_id']}",
                         headers=token(role=Role.ANALYST))
    assert fetched.json()["kind"] == "recognition"
    assert "A-17" not in fetched.text  # only the pseudonym is kept


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"kind": "recognitio"}, "kind", "Input should be"),
        ({"mode": None}, "mode", "Input should be"),
        ({"region": "DE-XX"}, "region", "Input should be"),
        ({"occurred_on": "2019-02-30"}, "occurred_on", "date"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "in the future"),
        ({"occurred_on": "0219-05-03"}, "occurred_on", "before the IQ programme began (2005-01-01)"),
        ({"occupation": {"classification": "kldb2010", "code": "8130"}}, "occupation", "5 digits"),
        ({"occupation": {"classification": "isco08", "code": "81302"}}, "occupation", "4 digits"),
        ({"qualification_country": "Syria"}, "qualification_country", "pattern"),
        ({"contact_point": "Köln Mitte"}, "contact_point", "pattern"),
        ({"person_id": ""}, "person_id", "at least 1"),
        ({"occupation_regulated": "maybe"}, "occupation_regulated", "boolean"),
        ({"first_name": "Max"}, "first_name", "Extra inputs are not permitted"),
        ({"contact_point": "bonn-01"}, "contact_point", "bonn-01 is not a registered contact point of DE-NW"),
        ({"occurred_on": "2018-12-31"}, "contact_point", "koeln-01 opened on 2019-01-01, after 2018-12-31"),
        ({"occupation": {"classification": "kldb2010", "code": "99999"}}, "code", "not a KldB 2010 Berufsgattung"),
        ({"occupation": {"classification": "isco08", "code": "9999"}}, "code", "not an ISCO-08 unit group"),
        ({"qualification_country": "XX"}, "qualification_country", "not an assigned ISO 3166-1 code"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, overrides, field, reason):
    response = client.post("/v1/advice-sessions", json=session_body(**overrides), headers=token())
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field or field in error["loc"], error
    assert reason in error["msg"]
    assert stored(client) == (0, 0)


def test_a_missing_field_is_named(client):
    body = session_body()
    del body["kind"]
    response = client.post("/v1/advice-sessions", json=body, headers=token())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "kind"]


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post("/v1/advice-sessions", content=b"region=DE-NW", headers=token() | {
        "content-type": "application/json"})
    assert response.status_code == 422
    assert stored(client) == (0, 0)


def test_recording_needs_a_token(client):
    assert client.post("/v1/advice-sessions", json=session_body()).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.post("/v1/advice-sessions", json=session_body(), headers=bad).status_code == 401
    assert stored(client) == (0, 0)


def test_an_analyst_may_not_record(client):
    response = client.post("/v1/advice-sessions", json=session_body(), headers=token(role=Role.ANALYST))
    assert response.status_code == 403
    assert stored(client) == (0, 0)


def test_a_recorder_writes_only_its_own_region(client):
    response = client.post("/v1/advice-sessions", json=session_body(region="DE-BY"), headers=token("DE-NW"))
    assert response.status_code == 403
    assert response.json()["detail"][0]["loc"] == ["body", "region"]
    assert stored(client) == (0, 0)


def test_an_unknown_session_is_not_found(client):
    response = client.get("/v1/advice-sessions/8d0f4c1e-0000-4000-8000-000000000000",
                          headers=token(role=Role.ANALYST))
    assert response.status_code == 404


def test_the_openapi_document_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/advice-sessions" in paths
