"""The HTTP API of the training service, running with its lifespan against the real broker
and a real database. Every rejection path: a 4xx naming the field, nothing stored."""

import pytest

from .conftest import (
    ANALYST,
    completion_body,
    enrol,
    enrolment_body,
    open_scheme,
    refused,
    scheme_body,
    stored,
    token,
)

pytestmark = pytest.mark.kafka
UNKNOWN = "8d0f4c1e-0000-4000-8000-000000000000"


def test_a_scheme_its_participant_and_the_completion_are_stored_with_their_events(client):
    scheme_id = open_scheme(client, occupation={"classification": "isco08", "code": "2211"})
    enrolment_id = enrol(client, scheme_id, esf={"gender": "diverse"})
    done = client.post(f"/v1/enrolments/{enrolment_id}/completion", json=completion_body(), headers=token())
    assert done.status_code == 201, done.text
    assert stored(client) == (1, 1, 3)
    scheme = client.get(f"/v1/schemes/{scheme_id}", headers=token(role=ANALYST)).json()
    assert (scheme["occupation_classification"], scheme["occupation_code"], scheme["participants"]) == (
        "kldb2010", "81404", 1)
    enrolment = client.get(f"/v1/enrolments/{enrolment_id}", headers=token(role=ANALYST))
    assert enrolment.json()["gender"] == "diverse" and enrolment.json()["outcome"] == "full_recognition"
    assert "A-17" not in enrolment.text  # only the pseudonym is kept


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"format": "group"}, "format", "Input should be"),
        ({"measure_type": None}, "measure_type", "Input should be"),
        ({"region": "DE-XX"}, "region", "Input should be"),
        ({"starts_on": "2019-02-30"}, "starts_on", "date"),
        ({"starts_on": "2999-01-01", "planned_end": "2999-02-01"}, "starts_on", "in the future"),
        ({"starts_on": "0219-05-03", "planned_end": "2019-07-01"}, "starts_on", "before the IQ programme"),
        ({"planned_end": "2019-02-01"}, "planned_end", "before the start"),
        ({"occupation": {"classification": "kldb2010", "code": "99999"}}, "occupation", "not in the shipped"),
        ({"occupation": {"classification": "isco08", "code": "81302"}}, "occupation", "4 digits"),
        ({"title": "Anpassungslehrgang Pflege"}, "title", "Extra inputs are not permitted"),
    ],
)
def test_a_bad_scheme_is_refused_naming_the_field(client, overrides, field, reason):
    refused(client.post("/v1/schemes", json=scheme_body(**overrides), headers=token()), 422, field, reason)
    assert stored(client) == (0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "status", "field", "reason"),
    [
        ({"person_id": ""}, 422, "person_id", "at least 1"),
        ({"esf": {"gender": "unknown"}}, 422, "gender", "Input should be"),
        ({"esf": {"birth_date": "1990-01-01"}}, 422, "birth_date", "Extra inputs are not permitted"),
        ({"name": "Max"}, 422, "name", "Extra inputs are not permitted"),
        ({"started_on": "2019-02-28"}, 422, "started_on", "before the scheme started"),
        ({"started_on": "2999-01-01"}, 422, "started_on", "in the future"),
        ({"person_id": "A-1"}, 409, "person_id", "already enrolled"),
    ],
)
def test_a_bad_enrolment_is_refused_naming_the_field(client, overrides, status, field, reason):
    scheme_id = open_scheme(client)
    enrol(client, scheme_id, person_id="A-1")
    response = client.post(f"/v1/schemes/{scheme_id}/enrolments", json=enrolment_body(**overrides), headers=token())
    refused(response, status, field, reason)
    assert stored(client) == (1, 1, 2)


def test_an_enrolment_in_an_unknown_or_full_scheme_is_refused(client):
    refused(client.post(f"/v1/schemes/{UNKNOWN}/enrolments", json=enrolment_body(), headers=token()),
            404, "scheme_id", "no scheme")
    refused(client.post("/v1/schemes/not-a-uuid/enrolments", json=enrolment_body(), headers=token()),
            422, "scheme_id", "UUID")
    individual = open_scheme(client, format="individual")
    enrol(client, individual)
    refused(client.post(f"/v1/schemes/{individual}/enrolments", json=enrolment_body(person_id="B-2"),
                        headers=token()), 409, "scheme_id", "individually tailored")
    assert stored(client) == (1, 1, 2)


@pytest.mark.parametrize(
    ("overrides", "status", "field", "reason"),
    [
        ({"outcome": "passed"}, 422, "outcome", "Input should be"),
        ({"completed_on": "2019-03-03"}, 422, "completed_on", "before the start"),
        ({"completed_on": "2999-01-01"}, 422, "completed_on", "in the future"),
        ({"region": "DE-BY"}, 403, "region", "your token records for DE-NW"),
    ],
)
def test_a_bad_completion_is_refused_naming_the_field(client, overrides, status, field, reason):
    enrolment_id = enrol(client, open_scheme(client))
    response = client.post(f"/v1/enrolments/{enrolment_id}/completion", json=completion_body(**overrides),
                           headers=token())
    refused(response, status, field, reason)
    assert stored(client) == (1, 1, 2)


def test_a_completion_of_an_unknown_or_completed_enrolment_is_refused(client):
    refused(client.post(f"/v1/enrolments/{UNKNOWN}/completion", json=completion_body(), headers=token()),
            404, "enrolment_id", "no enrolment")
    enrolment_id = enrol(client, open_scheme(client))
    assert client.post(f"/v1/enrolments/{enrolment_id}/completion", json=completion_body(),
                       headers=token()).status_code == 201
    refused(client.post(f"/v1/enrolments/{enrolment_id}/completion", json=completion_body(outcome="other"),
                        headers=token()), 409, "enrolment_id", "already completed on 2019-06-28")
    assert stored(client) == (1, 1, 3)


def test_corrections_and_retractions_are_new_events(client):
    scheme_id = open_scheme(client)
    enrolment_id = enrol(client, scheme_id)
    calls = [
        (f"/v1/schemes/{scheme_id}/correction", scheme_body(measure_type="compensatory_measure"), 200),  # +start
        (f"/v1/enrolments/{enrolment_id}/completion", completion_body(), 201),
        (f"/v1/enrolments/{enrolment_id}/completion/correction", completion_body(outcome="other"), 200),
        (f"/v1/enrolments/{enrolment_id}/retraction", {"region": "DE-NW", "reason": "duplicate"}, 409),
        (f"/v1/enrolments/{enrolment_id}/completion/retraction", {"region": "DE-NW", "reason": "duplicate"}, 200),
        (f"/v1/enrolments/{enrolment_id}/correction", enrolment_body(started_on="2019-03-05"), 200),
        (f"/v1/enrolments/{enrolment_id}/retraction", {"region": "DE-NW", "reason": "duplicate"}, 200),
        (f"/v1/enrolments/{enrolment_id}/retraction", {"region": "DE-NW", "reason": "duplicate"}, 409),
        (f"/v1/schemes/{scheme_id}/retraction", {"region": "DE-NW", "reason": "entered_in_error"}, 200),
    ]
    for path, body, status in calls:
        assert client.post(path, json=body, headers=token()).status_code == status, path
    assert stored(client) == (1, 1, 10)
    assert client.get("/v1/schemes", headers=token(role=ANALYST)).json()["total"] == 0
    assert client.get("/v1/schemes?include_retracted=true", headers=token(role=ANALYST)).json()["total"] == 1


def test_a_retraction_takes_a_coded_reason_only(client):
    scheme_id = open_scheme(client)
    refused(client.post(f"/v1/schemes/{scheme_id}/retraction", json={"region": "DE-NW", "reason": "she moved away"},
                        headers=token()), 422, "reason", "Input should be")
    refused(client.post(f"/v1/schemes/{UNKNOWN}/retraction", json={"region": "DE-NW", "reason": "duplicate"},
                        headers=token()), 404, "scheme_id", "no scheme")
    assert stored(client) == (1, 0, 1)


def test_recording_needs_a_recorder_of_the_region(client):
    assert client.post("/v1/schemes", json=scheme_body()).status_code == 401
    assert client.post("/v1/schemes", json=scheme_body(), headers=token(role=ANALYST)).status_code == 403
    refused(client.post("/v1/schemes", json=scheme_body(region="DE-BY"), headers=token("DE-NW")),
            403, "region", "your token records for DE-NW")
    assert stored(client) == (0, 0, 0)


def test_a_body_that_is_not_json_is_refused(client):
    json_header = {"content-type": "application/json"}
    response = client.post("/v1/schemes", content=b"region=DE-NW", headers=token() | json_header)
    assert response.status_code == 422
    assert stored(client) == (0, 0, 0)
