"""The read APIs: filters, paging and regions (regional staff see their own region only)."""

import pytest

from .conftest import ANALYST, enrol, open_scheme, token

pytestmark = pytest.mark.kafka


def test_schemes_and_enrolments_are_listed_with_filters_and_paging(client):
    course = open_scheme(client)
    open_scheme(client, format="individual", measure_type="in_company_training", starts_on="2019-05-02")
    done, _open = enrol(client, course, person_id="A-1"), enrol(client, course, person_id="A-2")
    client.post(f"/v1/enrolments/{done}/completion", headers=token(),
                json={"region": "DE-NW", "completed_on": "2019-06-28", "outcome": "discontinued"})
    analyst = token(role=ANALYST)

    def ids(path: str, key: str) -> list[str]:
        response = client.get(path, headers=analyst)
        assert response.status_code == 200, response.text
        return [row[key] for row in response.json()["items"]]

    assert len(ids("/v1/schemes", "scheme_id")) == 2
    assert ids("/v1/schemes?format=course", "scheme_id") == [course]
    assert ids("/v1/schemes?starts_until=2019-04-30", "scheme_id") == [course]
    assert len(ids("/v1/schemes?measure_type=in_company_training&starts_from=2019-05-01", "scheme_id")) == 1
    page = client.get("/v1/schemes?limit=1&offset=1", headers=analyst).json()
    assert (page["total"], len(page["items"]), page["offset"]) == (2, 1, 1)
    assert ids("/v1/enrolments?completed=true", "enrolment_id") == [done]
    assert ids("/v1/enrolments?completed=false", "enrolment_id") == [_open]
    assert ids("/v1/enrolments?outcome=discontinued", "enrolment_id") == [done]
    assert len(ids(f"/v1/enrolments?scheme_id={course}", "enrolment_id")) == 2


def test_bad_filters_are_refused(client):
    analyst = token(role=ANALYST)
    response = client.get("/v1/schemes?starts_from=2019-05-01&starts_until=2019-04-01", headers=analyst)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "starts_until"
    assert client.get("/v1/enrolments?outcome=passed", headers=analyst).status_code == 422
    assert client.get("/v1/schemes?limit=0", headers=analyst).status_code == 422


def test_regional_staff_see_only_their_region(client):
    scheme_id = open_scheme(client)
    elsewhere = token("DE-BY", ANALYST)
    assert client.get("/v1/schemes", headers=elsewhere).json()["total"] == 0
    assert client.get(f"/v1/schemes/{scheme_id}", headers=elsewhere).status_code == 404
    assert client.get("/v1/schemes", headers=token("national", ANALYST)).json()["total"] == 1
    assert client.get("/v1/schemes", headers=token()).status_code == 403  # a recorder does not read
