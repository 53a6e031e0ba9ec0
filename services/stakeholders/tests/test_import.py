"""Bulk import over the API and the command line on a real database: a mixed good/bad file
imports the good rows, reports the bad ones by line and field; a second import changes nothing."""

import json

import pytest

from iq_stakeholders.cli import main

from .conftest import consultation_body, stored, token

pytestmark = pytest.mark.kafka

HEADER = "source_record_id,region,format,target_group,topic,held_on,participants,recorded_at"
GOOD = [
    "alt-1,DE-NW,training,labour_market,anti_discrimination,2019-03-04,18,2019-03-05T10:00:00",
    "alt-2,DE-NW,event,business,skilled_worker_immigration,2019-04-11,120,",
]
BAD = [
    "alt-3,DE-NW,webinar,business,anti_discrimination,2019-03-04,18,",  # format
    "alt-4,DE-BY,event,business,anti_discrimination,2019-03-04,18,",  # another region than the token's
    "alt-5,DE-NW,event,business,anti_discrimination,2999-03-04,18,",  # held in the future
    "alt-6,DE-NW,event,business,anti_discrimination,2019-03-04,-3,",  # participants
    ",DE-NW,event,business,anti_discrimination,2019-03-04,18,",  # no source id
    "alt-1,DE-NW,training,labour_market,anti_discrimination,2019-03-04,18,",  # twice in the file
]


def post(client, path: str, content: str, content_type="text/csv"):
    return client.post(path, content=content.encode(), headers=token() | {"content-type": content_type})


def test_a_mixed_file_imports_the_good_rows_and_reports_the_bad(client):
    report = post(client, "/v1/activities/import", "\n".join([HEADER, *GOOD, *BAD])).json()
    assert (report["rows"], report["imported"], report["rejected"]) == (8, 2, 6)
    by_line = {error["line"]: (error["field"], error["reason"]) for error in report["errors"]}
    assert [by_line[line][0] for line in range(4, 10)] == ["format", "region", "held_on", "participants",
                                                          "source_record_id", "source_record_id"]
    assert "future" in by_line[6][1] and "twice" in by_line[9][1]
    assert stored(client) == (2, 0, 2)
    again = post(client, "/v1/activities/import", "\n".join([HEADER, *GOOD])).json()
    assert (again["imported"], again["already_imported"]) == (0, 2)
    assert stored(client) == (2, 0, 2)


def test_consultations_are_imported_as_json_lines_by_organisation_code(client, job_centre):
    rows = [json.dumps(consultation_body() | {"source_record_id": f"k-{n}"}) for n in range(3)]
    rows.append(json.dumps(consultation_body(organisation_code="closed-down") | {"source_record_id": "k-9"}))
    report = post(client, "/v1/consultations/import", "\n".join([*rows, "{not json"]), "application/x-ndjson").json()
    assert (report["imported"], report["rejected"]) == (3, 2)
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(4, "organisation_code"), (5, "row")]
    assert stored(client) == (0, 3, 3)


def test_the_command_line_imports_a_file_and_writes_the_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/stakeholders.db")
    monkeypatch.setenv("IQ_REGION", "DE-NW")
    source = tmp_path / "activities.csv"
    source.write_text("\n".join([HEADER, *GOOD, BAD[0]]))
    errors = tmp_path / "errors.csv"
    assert main(["import", "activities", str(source), "--errors", str(errors)]) == 1
    assert "alt-3,format," in errors.read_text()
    assert main(["import", "activities", str(source)]) == 1  # the bad row stays bad, the good ones known
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path}/stakeholders.db")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM activities")).scalar_one() == 2
        recorded = connection.execute(text("SELECT recorded_at FROM activities ORDER BY occurred_on")).first()[0]
    engine.dispose()
    assert str(recorded).startswith("2019-03-05 09:00:00")  # 10:00 Berlin (CET) kept, in UTC
