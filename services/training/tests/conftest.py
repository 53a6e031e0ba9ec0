"""The training service under test: its app with the lifespan against the real broker and a
real database (SQLite and PostgreSQL), and request helpers."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from iq_runtime.auth import Role, issue_token
from iq_runtime.database import async_url
from iq_training.bootstrap import Settings, build_app
from tests.kafka_helpers import fast_group

SECRET = "training-api-test-secret-long-enough"
ANALYST = Role.ANALYST


def token(region="DE-NW", role=Role.RECORDER) -> dict:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'staff', region, role)}"}


def scheme_body(**overrides) -> dict:
    return {"region": "DE-NW", "format": "course", "measure_type": "bridge_training",
            "occupation": {"classification": "kldb2010", "code": "81302"},
            "starts_on": "2019-03-01", "planned_end": "2019-12-20"} | overrides


def enrolment_body(**overrides) -> dict:
    return {"region": "DE-NW", "person_id": "A-17", "started_on": "2019-03-04"} | overrides


def completion_body(**overrides) -> dict:
    return {"region": "DE-NW", "completed_on": "2019-06-28", "outcome": "full_recognition"} | overrides


@pytest.fixture
def client(kafka, database_url, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    app = build_app(Settings(database_url=database_url, kafka=fast_group(kafka)))
    with TestClient(app) as client:
        client.database_url = database_url
        yield client


def open_scheme(client, **overrides) -> str:
    response = client.post("/v1/schemes", json=scheme_body(**overrides), headers=token())
    assert response.status_code == 201, response.text
    return response.json()["scheme_id"]


def enrol(client, scheme_id, **overrides) -> str:
    response = client.post(f"/v1/schemes/{scheme_id}/enrolments", json=enrolment_body(**overrides), headers=token())
    assert response.status_code == 201, response.text
    return response.json()["enrolment_id"]


def stored(client) -> tuple[int, int, int]:
    """(schemes, enrolments, outbox rows) in the service's database."""
    url = async_url(client.database_url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = tuple(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                       for t in ("schemes", "enrolments", "outbox"))
    engine.dispose()
    return counts


def refused(response, status: int, field: str, reason: str) -> None:
    assert response.status_code == status, response.text
    [error] = response.json()["detail"]
    assert field in error["loc"], error
    assert reason in error["msg"], error
