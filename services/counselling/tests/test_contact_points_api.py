"""Contact points over HTTP on a real database: open, close, list; every refusal names the
field and stores nothing. Each client starts with koeln-01 (DE-NW) open since 2019-01-01."""

import pytest

from iq_runtime.auth import Role

from .conftest import contact_point_body, counts, post, session_body, token

pytestmark = pytest.mark.kafka
ANALYST = token(role=Role.ANALYST)


def contact_points_and_events(client) -> tuple[int, int]:
    return counts(client, "contact_points", "outbox")


def test_an_opened_contact_point_is_listed(client):
    response = post(client, "/v1/contact-points", contact_point_body(code="bonn-01", type="mobile"))
    assert response.status_code == 201, response.text
    assert response.json()["code"] == "bonn-01"
    listed = client.get("/v1/contact-points?type=mobile", headers=ANALYST).json()
    assert [(p["code"], p["type"], p["closed_on"]) for p in listed["items"]] == [("bonn-01", "mobile", None)]


@pytest.mark.parametrize(
    ("overrides", "status", "field", "reason"),
    [
        ({}, 409, "code", "koeln-01 is already a contact point of DE-NW"),
        ({"code": "Köln Mitte"}, 422, "code", "pattern"),
        ({"code": "bonn-01", "type": "tent"}, 422, "type", "Input should be"),
        ({"code": "bonn-01", "opened_on": "2999-01-01"}, 422, "opened_on", "in the future"),
        ({"code": "bonn-01", "opened_on": "2004-12-31"}, 422, "opened_on", "before the IQ programme began"),
        ({"code": "bonn-01", "opened_on": "yesterday"}, 422, "opened_on", "date"),
        ({"code": "bonn-01", "region": "DE-XX"}, 422, "region", "Input should be"),
        ({"code": "bonn-01", "region": "DE-BY"}, 403, "region", "your token records for DE-NW"),
        ({"code": "bonn-01", "address": "Domplatz 1"}, 422, "address", "Extra inputs are not permitted"),
    ],
)
def test_a_bad_opening_is_refused_and_nothing_is_stored(client, overrides, status, field, reason):
    response = client.post("/v1/contact-points", json=contact_point_body(**overrides), headers=token())
    assert response.status_code == status, response.text
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field and reason in error["msg"], error
    assert contact_points_and_events(client) == (1, 1)


def close(client, closed_on="2019-06-30", region="DE-NW", code="koeln-01", headers=None):
    return post(client, f"/v1/contact-points/{region}/{code}/closure", {"closed_on": closed_on}, headers)


def test_a_closed_contact_point_is_open_only_until_its_last_day(client):
    assert close(client, "2019-06-30").status_code == 200
    open_on = {day: client.get(f"/v1/contact-points?open_on={day}", headers=ANALYST).json()["total"]
               for day in ("2018-12-31", "2019-01-01", "2019-06-30", "2019-07-01")}
    assert open_on == {"2018-12-31": 0, "2019-01-01": 1, "2019-06-30": 1, "2019-07-01": 0}
    refused = client.post("/v1/advice-sessions", json=session_body(occurred_on="2019-07-01"), headers=token())
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"].startswith("koeln-01 was closed on 2019-06-30")


@pytest.mark.parametrize(
    ("arguments", "status", "field", "reason"),
    [
        ({"code": "bonn-01"}, 404, "code", "bonn-01 is not a registered contact point of DE-NW"),
        ({"closed_on": "2018-12-31"}, 422, "closed_on", "before koeln-01 opened on 2019-01-01"),
        ({"closed_on": "2999-01-01"}, 422, "closed_on", "in the future"),
        ({"region": "DE-BY"}, 403, "region", "your token records for DE-NW"),
        ({"region": "DE-XX"}, 422, "region", "Input should be"),
        ({"headers": token(role=Role.ANALYST)}, 403, None, None),
    ],
)
def test_a_bad_closure_is_refused_and_nothing_is_stored(client, arguments, status, field, reason):
    response = close(client, **arguments)
    assert response.status_code == status, response.text
    if field:
        [error] = response.json()["detail"]
        assert error["loc"][-1] == field and reason in error["msg"], error
    assert contact_points_and_events(client) == (1, 1)


def test_closing_twice_is_a_conflict(client):
    close(client, "2019-06-30")
    again = close(client, "2019-07-31")
    assert again.status_code == 409
    assert again.json()["detail"][0]["msg"] == "koeln-01 was already closed on 2019-06-30"
    assert contact_points_and_events(client) == (1, 2)


def test_a_closure_before_a_recorded_session_is_refused(client):
    post(client, "/v1/advice-sessions", session_body(occurred_on="2019-05-06"))
    response = close(client, "2019-05-05")
    assert response.status_code == 422
    assert "has a session on 2019-05-06" in response.json()["detail"][0]["msg"]


def test_listing_pages_and_filters_by_region(client):
    for n in range(3):
        post(client, "/v1/contact-points", contact_point_body(code=f"essen-0{n}"))
    national = {"Authorization": token("national", Role.ANALYST)["Authorization"]}
    first = client.get("/v1/contact-points?limit=2", headers=national).json()
    second = client.get("/v1/contact-points?limit=2&offset=2", headers=national).json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (4, 2, 2)
    assert [p["code"] for p in first["items"] + second["items"]] == ["essen-00", "essen-01", "essen-02", "koeln-01"]
    assert client.get("/v1/contact-points", headers=token("DE-BY", Role.ANALYST)).json()["total"] == 0
    assert client.get("/v1/contact-points?region=DE-BY", headers=national).json()["total"] == 0
    assert client.get("/v1/contact-points?limit=0", headers=national).status_code == 422


def test_a_contact_point_is_corrected_and_retracted_with_new_events(client):
    corrected = post(client, "/v1/contact-points/DE-NW/koeln-01/correction",
                     {"type": "mobile", "opened_on": "2019-02-01", "closed_on": "2019-05-31"})
    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["code"], corrected.json()["on"]) == ("koeln-01", "2019-02-01")
    listed = client.get("/v1/contact-points?region=DE-NW", headers=ANALYST).json()["items"]
    assert [(p["type"], p["opened_on"], p["closed_on"]) for p in listed] == [("mobile", "2019-02-01", "2019-05-31")]
    refused = post(client, "/v1/contact-points/DE-NW/koeln-01/correction", {"type": "mobile", "opened_on": "x"})
    assert (refused.status_code, refused.json()["detail"][0]["loc"][-1]) == (422, "opened_on")
    assert post(client, "/v1/contact-points/DE-BY/koeln-01/retraction", {"reason": "other"}).status_code == 403
    retracted = post(client, "/v1/contact-points/DE-NW/koeln-01/retraction", {"reason": "entered_in_error"})
    assert retracted.status_code == 200, retracted.text
    assert client.get("/v1/contact-points?region=DE-NW", headers=ANALYST).json()["items"] == []
    assert contact_points_and_events(client) == (1, 3)  # the opening, the correction, the retraction
    again = post(client, "/v1/contact-points/DE-NW/koeln-01/retraction", {"reason": "entered_in_error"})
    assert again.status_code == 409
