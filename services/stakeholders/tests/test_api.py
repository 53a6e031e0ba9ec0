"""The HTTP API, running with its lifespan against the real broker and a real database.
Every rejection path: a 4xx naming the field, nothing stored."""

import pytest

from iq_runtime.auth import Role

from .conftest import ANALYST, activity_body, consultation_body, organisation_body, stored, token

pytestmark = pytest.mark.kafka
UNKNOWN = "8d0f4c1e-0000-4000-8000-000000000000"


def refused_field(response, status: int = 422) -> tuple[str, str]:
    assert response.status_code == status, response.text
    error = response.json()["detail"][0]
    return error["loc"][-1], error["msg"]


def test_a_training_is_recorded_corrected_and_retracted(client):
    held = client.post("/v1/activities", json=activity_body(), headers=token())
    assert held.status_code == 201, held.text
    activity_id = held.json()["id"]
    corrected = client.post(f"/v1/activities/{activity_id}/correction", json=activity_body(participants=21),
                            headers=token())
    assert (corrected.status_code, corrected.json()["event_type"]) == (200, "EventCorrected")  # as elsewhere
    assert client.get(f"/v1/activities/{activity_id}", headers=ANALYST).json()["participants"] == 21
    retracted = client.post(f"/v1/activities/{activity_id}/retraction", json={"reason": "duplicate"},
                            headers=token())
    assert (retracted.status_code, retracted.json()["event_type"]) == (200, "EventRetracted")
    assert stored(client) == (1, 0, 3)
    again = client.post(f"/v1/activities/{activity_id}/retraction", json={"reason": "duplicate"}, headers=token())
    assert refused_field(again, 409)[0] == "activity_id"
    assert client.get("/v1/activities", headers=ANALYST).json()["total"] == 0
    assert client.get("/v1/activities?retracted=true", headers=ANALYST).json()["total"] == 1


@pytest.mark.parametrize(("overrides", "field", "reason"), [
    ({"format": "workshop"}, "format", "Input should be"),
    ({"target_group": "migrants"}, "target_group", "Input should be"),
    ({"topic": None}, "topic", "Input should be"),
    ({"region": "DE-XX"}, "region", "Input should be"),
    ({"held_on": "2019-02-30"}, "held_on", "date"),
    ({"held_on": "2999-01-01"}, "held_on", "in the future"),
    ({"held_on": "0219-05-03"}, "held_on", "before the IQ programme began (2005-01-01)"),
    ({"participants": -1}, "participants", "greater than or equal"),
    ({"participants": 100_001}, "participants", "less than or equal"),
    ({"participants": "many"}, "participants", "integer"),
    ({"participants": True}, "participants", "not true or false"),
    ({"trainer": "Frau Müller"}, "trainer", "Extra inputs are not permitted"),
])
def test_a_bad_activity_is_refused_naming_the_field_and_nothing_is_stored(client, overrides, field, reason):
    name, message = refused_field(client.post("/v1/activities", json=activity_body(**overrides), headers=token()))
    assert (name, reason in message) == (field, True), message
    assert stored(client) == (0, 0, 0)


@pytest.mark.parametrize(("overrides", "status", "field", "reason"), [
    ({"topic": "wages"}, 422, "topic", "Input should be"),
    ({"held_on": "2999-01-01"}, 422, "held_on", "in the future"),
    ({"organisation_code": "Jobcenter Köln"}, 422, "organisation_code", "pattern"),
    ({"organisation_code": "unknown"}, 404, "organisation_code", "no organisation"),
    ({"organisation_code": None, "organisation_id": UNKNOWN}, 404, "organisation_id", "no organisation"),
    ({"organisation_code": None, "organisation_id": "42"}, 422, "organisation_id", "UUID"),
    ({"organisation_code": None}, 422, "organisation_id", "either"),
    ({"organisation_type": "sme"}, 422, "organisation_type", "Extra inputs"),
])
def test_a_bad_consultation_is_refused_naming_the_field_and_nothing_is_stored(client, job_centre, overrides, status,
                                                                              field, reason):
    body = {k: v for k, v in consultation_body(**overrides).items() if v is not None}
    name, message = refused_field(client.post("/v1/consultations", json=body, headers=token()), status)
    assert (name, reason in message) == (field, True), message
    assert stored(client) == (0, 0, 0)


def test_a_consultation_with_an_organisation_of_another_region_is_refused(client):
    munich = client.post("/v1/organisations", json=organisation_body(region="DE-BY", code="ihk-muenchen",
                                                                     type="chamber"), headers=token("national"))
    body = consultation_body(organisation_code=None, organisation_id=munich.json()["organisation_id"])
    assert refused_field(client.post("/v1/consultations", json=body, headers=token()))[0] == "organisation_id"
    assert stored(client) == (0, 0, 0)


def test_a_consultation_carries_the_organisations_type_and_group(client, job_centre):
    held = client.post("/v1/consultations", json=consultation_body(), headers=token())
    assert held.status_code == 201, held.text
    found = client.get(f"/v1/consultations/{held.json()['id']}", headers=ANALYST).json()
    assert (found["organisation_id"], found["organisation_type"], found["target_group"]) == (
        job_centre["organisation_id"], "job_centre", "labour_market")
    assert stored(client) == (0, 1, 1)


@pytest.mark.parametrize(("overrides", "status", "field"), [
    ({"type": "refugee"}, 422, "type"),
    ({"code": "Jobcenter Köln"}, 422, "code"),
    ({"name": ""}, 422, "name"),
    ({"region": "DE-BY"}, 403, "region"),
    ({"email": "info@jobcenter.de"}, 422, "email"),
])
def test_a_bad_organisation_is_refused_and_nothing_is_stored(client, overrides, status, field):
    response = client.post("/v1/organisations", json=organisation_body(**overrides), headers=token())
    assert refused_field(response, status)[0] == field
    assert stored(client, "organisations") == (0,)


def test_an_organisation_code_is_registered_once_per_region(client, job_centre):
    again = client.post("/v1/organisations", json=organisation_body(type="sme"), headers=token())
    assert refused_field(again, 409)[0] == "code"
    assert stored(client, "organisations", "outbox") == (1, 0)  # organisations publish no event


@pytest.mark.parametrize("path", ["/v1/activities/{id}/correction", "/v1/consultations/{id}/correction"])
def test_correcting_an_unknown_record_is_not_found(client, job_centre, path):
    body = activity_body() if "activities" in path else consultation_body()
    assert client.post(path.format(id=UNKNOWN), json=body, headers=token()).status_code == 404
    assert stored(client) == (0, 0, 0)


@pytest.mark.parametrize("reason", ["typo", None])
def test_a_retraction_needs_a_coded_reason(client, reason):
    held = client.post("/v1/activities", json=activity_body(), headers=token()).json()
    response = client.post(f"/v1/activities/{held['id']}/retraction", json={"reason": reason}, headers=token())
    assert refused_field(response)[0] == "reason"
    assert stored(client) == (1, 0, 1)


def test_retracting_an_unknown_consultation_is_not_found(client):
    response = client.post(f"/v1/consultations/{UNKNOWN}/retraction", json={"reason": "other"}, headers=token())
    assert refused_field(response, 404)[0] == "consultation_id"


def test_a_correction_cannot_move_a_record_to_another_region(client):
    held = client.post("/v1/activities", json=activity_body(), headers=token()).json()
    national = token("national")
    response = client.post(f"/v1/activities/{held['id']}/correction", json=activity_body(region="DE-BY"),
                           headers=national)
    assert refused_field(response)[0] == "region"
    assert stored(client) == (1, 0, 1)


def test_a_recorder_writes_only_its_own_region(client):
    assert refused_field(client.post("/v1/activities", json=activity_body(region="DE-BY"), headers=token()),
                         403)[0] == "region"
    held = client.post("/v1/activities", json=activity_body(region="DE-BY"), headers=token("DE-BY")).json()
    for path, body in (("correction", activity_body()), ("retraction", {"reason": "other"})):
        # another region's record is not found, as in the other services: a 403 would tell it exists
        response = client.post(f"/v1/activities/{held['id']}/{path}", json=body, headers=token())
        assert response.status_code == 404, response.text
    assert stored(client) == (1, 0, 1)


def test_recording_needs_a_recorders_token(client):
    assert client.post("/v1/activities", json=activity_body()).status_code == 401
    assert client.post("/v1/activities", json=activity_body(), headers={"Authorization": "Bearer x"}).status_code == 401
    assert client.post("/v1/activities", json=activity_body(), headers=ANALYST).status_code == 403
    assert client.post("/v1/activities", content=b"region=DE-NW",
                       headers=token() | {"content-type": "application/json"}).status_code == 422
    assert stored(client) == (0, 0, 0)


def test_lists_filter_and_page_within_the_readers_region(client, job_centre):
    for held_on, format_, group in (("2019-01-10", "training", "business"), ("2019-02-10", "event", "business"),
                                    ("2019-03-10", "training", "labour_market"), ("2020-01-10", "training",
                                                                                  "business")):
        body = activity_body(held_on=held_on, format=format_, target_group=group)
        assert client.post("/v1/activities", json=body, headers=token()).status_code == 201
    client.post("/v1/activities", json=activity_body(region="DE-BY"), headers=token("DE-BY"))
    listed = client.get("/v1/activities?from=2019-01-01&to=2019-12-31&format=training&limit=1", headers=ANALYST)
    assert (listed.json()["total"], len(listed.json()["items"])) == (2, 1)
    assert listed.json()["items"][0]["occurred_on"] == "2019-01-10"
    business = client.get("/v1/activities?target_group=business&topic=intercultural_competence", headers=ANALYST)
    assert business.json()["total"] == 3
    national = client.get("/v1/activities?region=DE-BY", headers=token("national", Role.ANALYST))
    assert national.json()["total"] == 1
    assert client.get("/v1/activities?region=DE-BY", headers=ANALYST).json()["total"] == 0
    assert client.get("/v1/activities?format=webinar", headers=ANALYST).status_code == 422
    assert client.get("/v1/activities?limit=0", headers=ANALYST).status_code == 422
    organisations = client.get("/v1/organisations?type=job_centre", headers=token()).json()
    assert [o["code"] for o in organisations["items"]] == ["jobcenter-koeln"]
    assert client.get("/v1/activities", headers=token()).status_code == 403  # recorders do not read figures' rows


def test_another_regions_record_is_not_found(client):
    held = client.post("/v1/activities", json=activity_body(region="DE-BY"), headers=token("DE-BY")).json()
    assert client.get(f"/v1/activities/{held['id']}", headers=ANALYST).status_code == 404
    assert client.get(f"/v1/activities/{held['id']}", headers=token("DE-BY", Role.ANALYST)).status_code == 200


def test_the_openapi_document_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/organisations", "/v1/activities", "/v1/consultations", "/v1/activities/import",
            "/v1/consultations/import", "/v1/activities/{activity_id}/correction"} <= set(paths)


def _registered_as_sme(client) -> dict:
    response = client.post("/v1/organisations", json=organisation_body(code="arbeitsagentur-bonn", type="sme"),
                           headers=token())
    assert response.status_code == 201, response.text
    return response.json()


def test_an_organisation_registered_with_a_wrong_type_is_corrected_with_its_consultations(client):
    agency = _registered_as_sme(client)
    held = client.post("/v1/consultations", json=consultation_body(organisation_code="arbeitsagentur-bonn"),
                       headers=token()).json()
    body = organisation_body(code="arbeitsagentur-bonn", type="employment_agency", name="Agentur für Arbeit Bonn")
    response = client.post(f"/v1/organisations/{agency['organisation_id']}/correction", json=body, headers=token())
    assert response.status_code == 200, response.text
    assert response.json() == {"organisation_id": agency["organisation_id"], "region": "DE-NW",
                               "code": "arbeitsagentur-bonn", "type": "employment_agency", "group": "labour_market",
                               "consultations_corrected": 1}
    found = client.get(f"/v1/consultations/{held['id']}", headers=ANALYST).json()
    assert (found["organisation_type"], found["target_group"]) == ("employment_agency", "labour_market")
    assert found["corrected_at"] is not None
    registered = client.get(f"/v1/organisations/{agency['organisation_id']}", headers=ANALYST).json()
    assert (registered["type"], registered["name"]) == ("employment_agency", "Agentur für Arbeit Bonn")
    assert stored(client) == (0, 1, 2)  # ConsultationHeld, then ConsultationCorrected


@pytest.mark.parametrize(("target", "overrides", "headers", "status", "field"), [
    ("unknown", {}, token(), 404, "organisation_id"),
    ("agency", {"code": "jobcenter-koeln"}, token(), 409, "code"),
    ("agency", {"region": "DE-BY"}, token("national"), 422, "region"),
    ("agency", {"type": "refugee"}, token(), 422, "type"),
    ("agency", {}, token("DE-BY"), 403, "region"),
    ("agency", {}, ANALYST, 403, None),  # an analyst records nothing: "role analyst may not do this"
])
def test_a_refused_organisation_correction_changes_nothing(client, job_centre, target, overrides, headers, status,
                                                          field):
    agency = _registered_as_sme(client)
    client.post("/v1/consultations", json=consultation_body(organisation_code="arbeitsagentur-bonn"), headers=token())
    organisation_id = UNKNOWN if target == "unknown" else agency["organisation_id"]
    body = organisation_body(code="arbeitsagentur-bonn", type="employment_agency") | overrides
    response = client.post(f"/v1/organisations/{organisation_id}/correction", json=body, headers=headers)
    if field is None:
        assert response.status_code == status, response.text
    else:
        assert refused_field(response, status)[0] == field
    registered = client.get(f"/v1/organisations/{agency['organisation_id']}", headers=ANALYST).json()
    assert (registered["code"], registered["type"]) == ("arbeitsagentur-bonn", "sme")
    assert stored(client) == (0, 1, 1)
