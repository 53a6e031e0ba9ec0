"""Bulk import through the API on a real database: mixed good/bad files of schemes,
enrolments and completions import the good rows and report the bad ones; again changes nothing."""

import pytest

from iq_runtime.auth import Role

from .conftest import ANALYST, stored, token

# imports here are migrations: an admin's, so rows keep their recording times (a recorder's may not)
MIGRATION = token(role=Role.ADMIN)

pytestmark = pytest.mark.kafka

SCHEMES = "\n".join([
    "source_record_id,region,format,measure_type,occupation.classification,occupation.code,starts_on,planned_end,"
    "recorded_at",
    "s-1,DE-NW,course,bridge_training,kldb2010,81302,2019-03-01,2019-12-20,2019-03-02T10:00:00",
    "s-2,DE-NW,individual,compensatory_measure,isco08,2211,2019-04-01,2019-09-30,",
    "s-3,DE-NW,seminar,bridge_training,kldb2010,81302,2019-03-01,2019-12-20,",  # format
    "s-4,DE-NW,course,bridge_training,kldb2010,81302,2019-03-01,2019-02-01,",  # planned_end
    "s-5,DE-BY,course,bridge_training,kldb2010,81302,2019-03-01,2019-12-20,",  # region of the token
])


def post(client, records: str, content: str, content_type="text/csv"):
    response = client.post(f"/v1/{records}/import", content=content.encode(),
                           headers=MIGRATION | {"content-type": content_type})
    assert response.status_code == 200, response.text
    return response.json()


def errors(report) -> dict:
    return {error["line"]: error["field"] for error in report["errors"]}


def test_mixed_files_import_the_good_rows_and_report_the_bad(client):
    report = post(client, "schemes", SCHEMES)
    assert (report["imported"], report["rejected"]) == (2, 3)
    assert errors(report) == {4: "format", 5: "planned_end", 6: "region"}
    listed = client.get("/v1/schemes", headers=token(role=ANALYST)).json()["items"]
    course, individual = (row["scheme_id"] for row in listed)

    enrolments = "\n".join([
        "source_record_id,region,scheme_id,person_id,started_on,esf.gender,esf.age_band",
        f"e-1,DE-NW,{course},A-1,2019-03-04,female,30_54",
        f"e-2,DE-NW,{individual},A-2,2019-04-01,,",
        f"e-3,DE-NW,{individual},A-3,2019-04-02,,",  # individual scheme taken
        f"e-4,DE-NW,{course},A-1,2019-03-05,,",  # the same person again
        f"e-5,DE-NW,{course},A-5,2019-02-01,,",  # before the scheme started
        "e-6,DE-NW,8d0f4c1e-0000-4000-8000-000000000000,A-6,2019-03-04,,",  # unknown scheme
        f"e-7,DE-NW,{course},A-7,2019-03-04,robot,",  # gender code
    ])
    report = post(client, "enrolments", enrolments)
    assert (report["imported"], report["rejected"]) == (2, 5)
    assert errors(report) == {4: "scheme_id", 5: "person_id", 6: "started_on", 7: "scheme_id", 8: "esf.gender"}
    first = client.get(f"/v1/enrolments?scheme_id={course}", headers=token(role=ANALYST)).json()["items"][0]
    assert (first["gender"], first["age_band"], first["isced"]) == ("female", "30_54", "not_stated")

    completions = "\n".join([
        "source_record_id,region,enrolment_id,completed_on,outcome",
        f"c-1,DE-NW,{first['enrolment_id']},2019-06-28,full_recognition",
        f"c-2,DE-NW,{first['enrolment_id']},2019-06-29,other",  # already completed (by line 2)
    ])
    report = post(client, "completions", completions)
    assert (report["imported"], report["rejected"], errors(report)) == (1, 1, {3: "enrolment_id"})
    assert stored(client) == (2, 2, 5)


def test_reimporting_the_same_file_changes_nothing_and_keeps_the_recording_time(client):
    assert post(client, "schemes", SCHEMES)["imported"] == 2
    again = post(client, "schemes", SCHEMES)
    assert (again["imported"], again["already_imported"]) == (0, 2)
    assert stored(client) == (2, 0, 2)
    listed = client.get("/v1/schemes", headers=token(role=ANALYST)).json()["items"]
    assert str(listed[0]["recorded_at"]).startswith("2019-03-02")


def test_json_lines_are_imported_too(client):
    row = ('{"source_record_id": "j-1", "region": "DE-NW", "format": "course", "measure_type": "language_support", '
           '"occupation": {"classification": "kldb2010", "code": "81404"}, "starts_on": "2019-05-01", '
           '"planned_end": "2019-08-01"}')
    report = post(client, "schemes", f"{row}\n{{not json", "application/x-ndjson")
    assert (report["imported"], report["rejected"], errors(report)) == (1, 1, {2: "row"})
