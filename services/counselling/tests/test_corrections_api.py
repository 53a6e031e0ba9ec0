"""Corrections, retractions and the session listing over HTTP on a real database."""

import pytest

from iq_runtime.auth import Role

from .conftest import contact_point_body, post, session_body, stored, token

pytestmark = pytest.mark.kafka
ANALYST = token(role=Role.ANALYST)
UNKNOWN = "8d0f4c1e-0000-4000-8000-000000000000"


def recorded(client, **overrides) -> str:
    response = post(client, "/v1/advice-sessions", session_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()["session_id"]


def test_a_correction_replaces_the_current_state_under_the_same_id(client):
    session_id = recorded(client)
    response = post(client, f"/v1/advice-sessions/{session_id}/correction",
                    session_body(kind="job_training", occupation={"classification": "isco08", "code": "2512"}))
    assert response.status_code == 200, response.text
    assert response.json()["session_id"] == session_id
    current = client.get(f"/v1/advice-sessions/{session_id}", headers=ANALYST).json()
    assert (current["kind"], current["occupation_code"], current["retracted"]) == ("job_training", "43414", False)
    assert current["corrected_at"] is not None
    assert stored(client) == (1, 2)


def test_a_retracted_session_stays_readable_as_retracted(client):
    session_id = recorded(client)
    response = post(client, f"/v1/advice-sessions/{session_id}/retraction", {"reason": "duplicate"})
    assert response.status_code == 200, response.text
    current = client.get(f"/v1/advice-sessions/{session_id}", headers=ANALYST).json()
    assert (current["retracted"], current["retraction_reason"]) == (True, "duplicate")
    assert stored(client) == (1, 2)


@pytest.mark.parametrize("action", ["correction", "retraction"])
def test_an_unknown_session_is_not_found(client, action):
    body = session_body() if action == "correction" else {"reason": "other"}
    response = post(client, f"/v1/advice-sessions/{UNKNOWN}/{action}", body)
    assert response.status_code == 404
    assert response.json()["detail"][0]["loc"] == ["body", "session_id"]
    assert stored(client) == (0, 0)


@pytest.mark.parametrize("action", ["correction", "retraction"])
def test_a_retracted_session_is_a_conflict(client, action):
    session_id = recorded(client)
    post(client, f"/v1/advice-sessions/{session_id}/retraction", {"reason": "entered_in_error"})
    body = session_body() if action == "correction" else {"reason": "other"}
    response = post(client, f"/v1/advice-sessions/{session_id}/{action}", body)
    assert response.status_code == 409
    assert "was retracted" in response.json()["detail"][0]["msg"]
    assert stored(client) == (1, 2)


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "field"),
    [
        ("correction", session_body(occurred_on="2999-01-01"), token(), 422, "occurred_on"),
        ("correction", session_body(contact_point="bonn-01"), token(), 422, "contact_point"),
        ("correction", session_body(qualification_country="XX"), token(), 422, "qualification_country"),
        ("correction", session_body(region="DE-BY"), token(), 403, "region"),
        ("correction", session_body(nickname="Max"), token(), 422, "nickname"),
        ("correction", session_body(), token("DE-BY"), 404, "session_id"),
        ("correction", session_body(), token(role=Role.ANALYST), 403, None),
        ("retraction", {"reason": "because"}, token(), 422, "reason"),
        ("retraction", {"reason": "other", "note": "free text"}, token(), 422, "note"),
        ("retraction", {"reason": "other"}, token("DE-BY"), 404, "session_id"),
    ],
)
def test_a_bad_correction_or_retraction_is_refused_and_nothing_is_stored(client, path, body, headers, status, field):
    session_id = recorded(client)
    response = post(client, f"/v1/advice-sessions/{session_id}/{path}", body, headers)
    assert response.status_code == status, response.text
    if field:
        assert response.json()["detail"][0]["loc"][-1] == field
    assert stored(client) == (1, 1)


def test_a_national_correction_may_not_move_a_session_to_another_region(client):
    post(client, "/v1/contact-points", contact_point_body(region="DE-BY", code="muenchen-01"), token("national"))
    session_id = recorded(client)
    response = post(client, f"/v1/advice-sessions/{session_id}/correction",
                    session_body(region="DE-BY", contact_point="muenchen-01"), token("national"))
    assert response.status_code == 422
    assert "keeps the session's region DE-NW" in response.json()["detail"][0]["msg"]


def test_sessions_are_listed_with_filters_and_pages(client):
    post(client, "/v1/contact-points", contact_point_body(code="bonn-01"))
    for day, kind, point in [("2019-03-01", "recognition", "koeln-01"), ("2019-03-02", "job_training", "bonn-01"),
                             ("2019-04-01", "recognition", "bonn-01"), ("2019-05-01", "recognition", "koeln-01")]:
        recorded(client, occurred_on=day, kind=kind, contact_point=point)

    def listed(query: str, headers=ANALYST) -> list[str]:
        response = client.get(f"/v1/advice-sessions?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [session["occurred_on"] for session in response.json()["items"]]

    assert listed("from=2019-03-02&to=2019-04-30") == ["2019-03-02", "2019-04-01"]
    assert listed("kind=recognition&contact_point=bonn-01") == ["2019-04-01"]
    assert listed("mode=video") == [] and listed("session_type=initial&region=DE-NW&limit=2&offset=1") == [
        "2019-03-02", "2019-04-01"]
    assert listed("", token("DE-BY", Role.ANALYST)) == []
    assert listed("", token("national", Role.ANALYST)) == ["2019-03-01", "2019-03-02", "2019-04-01", "2019-05-01"]
    assert client.get("/v1/advice-sessions?kind=astrology", headers=ANALYST).status_code == 422
    assert client.get("/v1/advice-sessions?from=March", headers=ANALYST).status_code == 422
    assert client.get("/v1/advice-sessions", headers=token()).status_code == 403  # recorders write, analysts read
