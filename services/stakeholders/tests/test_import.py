"""Bulk import over the API and the command line on a real database: a mixed good/bad file
imports the good rows, reports the bad ones by line and field; a second import changes nothing."""

import json

import pytest

from iq_runtime.auth import Role
from iq_stakeholders.cli import main

from .conftest import consultation_body, stored, token

# imports here are migrations: an admin's, so rows keep their recording times (a recorder's may not)
MIGRATION = token(role=Role.ADMIN)

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
    return client.post(path, content=content.encode(), headers=MIGRATION | {"content-type": content_type})


def test_a_mixed_file_imports_the_good_rows_and_reports_the_bad(client):
    report = post(client, "/v1/activities/import", "\n".join([HEADER, *GOOD, *BAD])).json()
    assert (report["rows"], report["imported"], report["rejected"]) == (8, 2, 6)
    by_line = {error["line"]: (error["field"], error["reason"]) for error in report["errors"]}
    assert [by_line[line][0] for line in range(4, 10)] == ["format", "region", "held_on", "participants",
                                                          "source_record_id", "source_record_id"]
    assert "future" in by_line[6][1] and "required" in by_line[8][1] and "twice" in by_line[9][1]
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


def test_kinds_and_regions_that_number_their_records_alike_are_all_imported(client, job_centre):
    """Old tools number each kind of record from 1, and so does every region's tool."""
    activities = "\n".join([HEADER, "1,DE-NW,training,labour_market,anti_discrimination,2019-03-04,18,",
                            "2,DE-NW,event,business,anti_discrimination,2019-03-05,40,"])
    assert post(client, "/v1/activities/import", activities).json()["imported"] == 2
    consultations = "\n".join(json.dumps(consultation_body() | {"source_record_id": str(n)}) for n in (1, 2, 3))
    report = post(client, "/v1/consultations/import", consultations, "application/x-ndjson").json()
    assert (report["imported"], report["already_imported"]) == (3, 0)
    bavaria = activities.replace("DE-NW", "DE-BY")
    response = client.post("/v1/activities/import", content=bavaria.encode(),
                           headers=token(region="DE-BY", role=Role.ADMIN) | {"content-type": "text/csv"})
    assert (response.json()["imported"], response.json()["already_imported"]) == (2, 0)
    assert stored(client) == (4, 3, 7)
    again = post(client, "/v1/consultations/import", consultations, "application/x-ndjson").json()
    assert (again["imported"], again["already_imported"]) == (0, 3)


def test_a_recorder_s_import_records_its_rows_now_and_refuses_an_earlier_recording_time(client):
    response = client.post("/v1/activities/import", content="\n".join([HEADER, *GOOD]).encode(),
                           headers=token() | {"content-type": "text/csv"})
    report = response.json()
    assert (report["imported"], report["rejected"]) == (1, 1)
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(2, "recorded_at")]
    assert "admin" in report["errors"][0]["reason"]


@pytest.mark.parametrize(("content", "reason"), [
    ("\n".join([HEADER, *[f"ok-{n},DE-NW,event,business,anti_discrimination,2019-03-04,5," for n in range(600)],
                f'big,DE-NW,event,business,anti_discrimination,2019-03-04,"{"x" * 200_000}",']).encode(),
     "line 602: field larger than field limit"),
    ("\n".join([HEADER, "Ä-1,DE-NW,event,business,anti_discrimination,2019-03-04,5,"]).encode("cp1252"),
     "not UTF-8 (byte"),
    (HEADER.replace(",", ";").encode() + b"\nalt-1;DE-NW;event;business;anti_discrimination;2019-03-04;5;",
     "separated by semicolons"),
    ("\n".join([HEADER, "q-1,DE-NW,event,business,anti_discrimination,2019-03-04,5,",
                '"q-2,DE-NW,event,business,anti_discrimination,2019-03-04,5,',  # the quote is never closed
                "q-3,DE-NW,event,business,anti_discrimination,2019-03-04,5,"]).encode(),
     "line 3: a quoted cell runs over several lines"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(client, content, reason):
    response = client.post("/v1/activities/import", content=content, headers=MIGRATION | {"content-type": "text/csv"})
    assert response.status_code == 422, response.text
    assert reason in response.text and '"body"' in response.text
    assert stored(client) == (0, 0, 0)


def test_a_source_id_imported_before_kinds_were_recorded_still_counts_as_imported(database_url, request):
    """The migration keeps the rows imported before it, for every kind and region."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from iq_runtime.database import async_url
    from iq_runtime.migrations import alembic_config
    from iq_stakeholders.bootstrap import MIGRATIONS

    command.upgrade(alembic_config(MIGRATIONS, database_url), "0001")
    engine = create_engine(async_url(database_url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg"))
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO imported_records VALUES ('alt-1', 'r-1', CURRENT_TIMESTAMP)"))
    command.upgrade(alembic_config(MIGRATIONS, database_url), "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT kind, region, source_record_id, record_id FROM imported_records"))
        assert rows.all() == [("", "", "alt-1", "r-1")]
    engine.dispose()
    client = request.getfixturevalue("client")
    report = post(client, "/v1/activities/import", "\n".join([HEADER, *GOOD])).json()
    assert (report["imported"], report["already_imported"]) == (1, 1)


def test_a_national_file_may_number_each_region_s_records_alike(client):
    rows = ["1,DE-NW,event,business,anti_discrimination,2019-03-04,5,",
            "1,DE-BY,event,business,anti_discrimination,2019-03-04,7,",
            "1,DE-NW,event,business,anti_discrimination,2019-03-05,9,"]  # twice for DE-NW
    response = client.post("/v1/activities/import", content="\n".join([HEADER, *rows]).encode(),
                           headers=token(region="national", role=Role.ADMIN) | {"content-type": "text/csv"})
    report = response.json()
    assert (report["imported"], report["rejected"]) == (2, 1)
    assert [(e["line"], "twice in this file for DE-NW (first on line 2)" in e["reason"]) for e in report["errors"]] \
        == [(4, True)]


def test_a_migration_file_sent_again_by_a_recorder_is_already_imported(client):
    assert post(client, "/v1/activities/import", "\n".join([HEADER, *GOOD])).json()["imported"] == 2
    response = client.post("/v1/activities/import", content="\n".join([HEADER, *GOOD]).encode(),
                           headers=token() | {"content-type": "text/csv"})
    assert (response.json()["already_imported"], response.json()["rejected"]) == (2, 0)


async def test_rows_another_request_changed_at_the_same_moment_are_a_conflict_saying_what_was_imported(
        database_url):
    """A chunk that fails on another transaction (PostgreSQL: a deadlock between two imports,
    a unique key) is rolled back whole; the answer says which lines and what came before."""
    from sqlalchemy.exc import OperationalError

    from iq_runtime.errors import Conflict
    from iq_stakeholders import handlers
    from iq_stakeholders.bootstrap import MIGRATIONS, Settings
    from iq_stakeholders.commands import RecordActivity
    from iq_stakeholders.store import tables
    from tests.pg_locks import recording_on

    class Deadlock(Exception):
        sqlstate = "40P01"

    async def deadlocked_on_the_third(cmd, uow, ctx):
        if cmd.participants == 3:
            raise OperationalError("UPDATE ...", {}, Deadlock())
        return await handlers.add_activity(cmd, uow, ctx)

    rows = [f"d-{n},DE-NW,event,business,anti_discrimination,2019-03-04,{n}," for n in range(1, 5)]
    async with recording_on(database_url, MIGRATIONS, Settings, tables) as recording:
        importer = recording.importer(RecordActivity, deadlocked_on_the_third)
        importer.chunk_rows = 2
        with pytest.raises(Conflict) as conflict:
            await importer.run("\n".join([HEADER, *rows]).encode(), "csv")
        assert "lines 4 to 5" in conflict.value.reason and "2 rows before them were" in conflict.value.reason
        report = await recording.importer(RecordActivity, handlers.add_activity).run(
            "\n".join([HEADER, *rows]).encode(), "csv")
    assert (report.imported, report.already_imported) == (2, 2)  # sent again: the rest
