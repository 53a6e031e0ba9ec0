"""Bulk import over HTTP and from the command line, on a real database: a mixed good/bad
file imports the good rows, reports the bad ones by line and field; re-importing changes
nothing. `topics` is one CSV cell with codes separated by ';'."""

import json
import sqlite3

import pytest

from iq_fair_integration.cli import main
from iq_runtime.auth import Role

from .conftest import NOTHING, analyst, group_event_body, stored, token

# imports here are migrations: an admin's, so rows keep their recording times (a recorder's may not)
MIGRATION = token(role=Role.ADMIN)

ADVICE_HEADER = "source_record_id,region,occurred_on,session_type,topics,residence_status,citizenship,person_id," \
                "recorded_at"
ADVICE_GOOD = [
    "fi-1,DE-NW,2019-03-04,initial,wages;holiday,tolerated,SY,A-1,2019-03-05T10:00:00",
    "fi-2,DE-NW,2019-03-04,follow_up,dismissal_and_termination,,UA,A-2,",
]
ADVICE_BAD = [
    "fi-3,DE-NW,2019-03-04,initial,wages;astrology,tolerated,SY,A-3,",  # topics
    "fi-4,DE-NW,2019-03-04,initial,wages,tolerated,PL,A-4,",  # EU citizen: a referral
    "fi-5,DE-BY,2019-03-04,initial,wages,tolerated,SY,A-5,",  # another region than the token's
    "fi-6,DE-NW,2019-03-04,initial,,tolerated,SY,A-6,",  # no topics
    "fi-1,DE-NW,2019-03-04,initial,wages,tolerated,SY,A-1,",  # twice in the file
]


def post(client, records: str, content: str, content_type="text/csv"):
    return client.post(f"/v1/{records}/import", content=content.encode(),
                       headers=MIGRATION | {"content-type": content_type})


@pytest.mark.kafka
def test_a_mixed_file_imports_the_good_rows_and_reports_the_bad(client):
    report = post(client, "advice-sessions", "\n".join([ADVICE_HEADER, *ADVICE_GOOD, *ADVICE_BAD])).json()
    assert (report["rows"], report["imported"], report["rejected"]) == (7, 2, 5)
    by_line = {error["line"]: error for error in report["errors"]}
    assert by_line[4]["field"].startswith("topics")
    assert by_line[5]["field"] == "citizenship" and "Fair Mobility" in by_line[5]["reason"]
    assert by_line[6]["field"] == "region"
    assert by_line[7]["field"] == "topics"
    assert "twice" in by_line[8]["reason"]
    assert stored(client) == NOTHING | {"advice_sessions": 2, "outbox": 2}
    listed = client.get("/v1/advice-sessions?topic=holiday", headers=analyst()).json()["items"]
    assert [(item["topics"], str(item["recorded_at"])[:16]) for item in listed] == [
        (["holiday", "wages"], "2019-03-05T09:00")]  # 10:00 Berlin (CET), kept from the old tool


@pytest.mark.kafka
def test_reimporting_the_same_file_changes_nothing(client):
    content = "\n".join([ADVICE_HEADER, *ADVICE_GOOD])
    assert post(client, "advice-sessions", content).json()["imported"] == 2
    again = post(client, "advice-sessions", content).json()
    assert (again["imported"], again["already_imported"]) == (0, 2)
    assert stored(client)["outbox"] == 2


@pytest.mark.kafka
def test_group_events_are_imported_from_json_lines(client):
    rows = [json.dumps(group_event_body(participants=n) | {"source_record_id": f"ge-{n}"}) for n in (5, 7)]
    bad = json.dumps(group_event_body(participants=-3) | {"source_record_id": "ge-x"})
    report = post(client, "group-events", "\n".join([*rows, bad, "{not json"]), "application/x-ndjson").json()
    assert (report["imported"], report["rejected"]) == (2, 2)
    assert [(error["line"], error["field"]) for error in report["errors"]] == [(3, "participants"), (4, "row")]
    assert stored(client) == NOTHING | {"group_events": 2, "outbox": 2}


@pytest.mark.kafka
def test_referrals_are_imported_from_csv(client):
    content = "\n".join(["source_record_id,region,occurred_on,citizenship,person_id",
                         "r-1,DE-NW,2019-03-04,RO,B-1", "r-2,DE-NW,2019-03-04,SY,B-2"])
    report = post(client, "referrals", content).json()
    assert (report["imported"], report["rejected"]) == (1, 1)
    assert "advise third-country nationals here" in report["errors"][0]["reason"]
    assert stored(client) == NOTHING | {"referrals": 1, "outbox": 1}


def test_the_command_line_imports_a_file_and_writes_the_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/fair-integration.db")
    source = tmp_path / "advice.csv"
    source.write_text("\n".join([ADVICE_HEADER, *ADVICE_GOOD, ADVICE_BAD[1]]))
    errors = tmp_path / "errors.csv"
    assert main(["import", "advice-sessions", str(source), "--errors", str(errors)]) == 1  # one row rejected
    assert "citizenship" in errors.read_text().splitlines()[1]
    main(["import", "advice-sessions", str(source)])  # again: nothing new
    with sqlite3.connect(tmp_path / "fair-integration.db") as db:
        assert db.execute("SELECT count(*) FROM advice_sessions").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM outbox").fetchone() == (2,)  # published when the service runs
