"""Bulk import through the API on a real database: a mixed good/bad file imports the good
rows, reports the bad ones by line and field, and a second import changes nothing."""

import json

import pytest

from iq_runtime.auth import Role

from .conftest import session_body, stored, token

# imports here are migrations: an admin's, so rows keep their recording times (a recorder's may not)
MIGRATION = token(role=Role.ADMIN)

pytestmark = pytest.mark.kafka

HEADER = ("source_record_id,region,contact_point,occurred_on,kind,mode,occupation.classification,"
          "occupation.code,qualification_country,occupation_regulated,person_id,recorded_at")
GOOD = [
    "old-1,DE-NW,koeln-01,2019-03-04,recognition,in_person,kldb2010,81302,SY,true,A-1,2019-03-05T10:00:00",
    "old-2,DE-NW,koeln-01,2019-03-04,job_training,phone,isco08,2221,UA,false,A-2,",
]
BAD = [
    "old-3,DE-NW,koeln-01,2019-03-04,astrology,in_person,kldb2010,81302,SY,true,A-3,",  # kind
    "old-4,DE-BY,muenchen-01,2019-03-04,recognition,in_person,kldb2010,81302,SY,true,A-4,",  # region
    "old-5,DE-NW,koeln-01,2019-03-09,recognition,in_person,kldb2010,81302,SY,true,A-5,2019-03-05T10:00:00",
    ",DE-NW,koeln-01,2019-03-04,recognition,in_person,kldb2010,81302,SY,true,A-6,",  # no source id
    "old-1,DE-NW,koeln-01,2019-03-04,recognition,in_person,kldb2010,81302,SY,true,A-1,",  # twice in file
]


def post(client, content: str, content_type="text/csv"):
    return client.post("/v1/advice-sessions/import", content=content.encode(),
                       headers=MIGRATION | {"content-type": content_type})


def test_a_mixed_file_imports_the_good_rows_and_reports_the_bad(client):
    response = post(client, "\n".join([HEADER, *GOOD, *BAD]))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["rows"], report["imported"], report["rejected"]) == (7, 2, 5)
    by_line = {error["line"]: error for error in report["errors"]}
    assert by_line[4]["field"] == "kind"
    assert by_line[5]["field"] == "region"
    assert by_line[6]["field"] == "occurred_on" and "future" in by_line[6]["reason"]
    assert by_line[7]["field"] == "source_record_id"
    assert "twice" in by_line[8]["reason"]
    assert stored(client) == (2, 2)


def test_reimporting_the_same_file_changes_nothing(client):
    content = "\n".join([HEADER, *GOOD])
    assert post(client, content).json()["imported"] == 2
    again = post(client, content).json()
    assert (again["imported"], again["already_imported"]) == (0, 2)
    assert stored(client) == (2, 2)


def test_a_migration_keeps_the_original_recording_time(client):
    post(client, "\n".join([HEADER, GOOD[0]]))
    listed = client.get("/v1/advice-sessions/import", headers=token(role=Role.ANALYST))
    assert listed.status_code in (404, 405, 422)  # import is write-only
    from sqlalchemy import create_engine, text

    from iq_runtime.database import async_url

    url = async_url(client.database_url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    engine = create_engine(url)
    with engine.connect() as connection:
        recorded = connection.execute(text("SELECT recorded_at FROM advice_sessions")).scalar_one()
    engine.dispose()
    assert str(recorded).startswith("2019-03-05 09:00:00")  # 10:00 Berlin (CET) in UTC


def test_json_lines_are_imported_too(client):
    rows = [json.dumps(session_body() | {"source_record_id": f"j-{n}", "person_id": f"P-{n}"}) for n in range(3)]
    report = post(client, "\n".join([*rows, "{not json"]), "application/x-ndjson").json()
    assert (report["imported"], report["rejected"]) == (3, 1)
    assert report["errors"][0]["line"] == 4
    assert stored(client) == (3, 3)


def test_an_unknown_format_is_refused(client):
    response = post(client, "a,b", "application/pdf")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "format"


CONTACT_POINTS = ["source_record_id,region,code,type,opened_on,recorded_at",
                  "cp-1,DE-NW,bonn-01,permanent,2015-04-01,2015-04-01T09:00:00",
                  "cp-2,DE-NW,essen-01,mobile,2016-01-01,",
                  "cp-3,DE-NW,koeln-01,permanent,2015-04-01,",  # already registered
                  "cp-4,DE-NW,duisburg-01,caravan,2016-01-01,",  # type
                  "cp-5,DE-BY,muenchen-01,permanent,2016-01-01,"]  # another region than the token's


def test_contact_points_are_imported_too(client):
    response = client.post("/v1/contact-points/import", content="\n".join(CONTACT_POINTS).encode(),
                           headers=MIGRATION | {"content-type": "text/csv"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["imported"], report["rejected"]) == (2, 3)
    assert {error["line"]: error["field"] for error in report["errors"]} == {4: "code", 5: "type", 6: "region"}
    listed = client.get("/v1/contact-points?region=DE-NW", headers=token(role=Role.ANALYST)).json()
    assert [point["code"] for point in listed["items"]] == ["bonn-01", "essen-01", "koeln-01"]
    again = client.post("/v1/contact-points/import", content="\n".join(CONTACT_POINTS[:3]).encode(),
                        headers=MIGRATION | {"content-type": "text/csv"}).json()
    assert (again["imported"], again["already_imported"]) == (0, 2)
