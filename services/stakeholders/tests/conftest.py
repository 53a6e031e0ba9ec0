"""The stakeholders service under test: its app with the lifespan against the real broker
and a real database (SQLite and PostgreSQL), and request helpers."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from iq_runtime.auth import Role, issue_token
from iq_runtime.database import async_url
from iq_stakeholders.bootstrap import Settings, build_app
from tests.kafka_helpers import fast_group

SECRET = "stakeholders-api-test-secret-long-enough"


def token(region="DE-NW", role=Role.RECORDER) -> dict:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'project-staff', region, role)}"}


ANALYST = token(role=Role.ANALYST)


def organisation_body(**overrides) -> dict:
    return {"region": "DE-NW", "code": "jobcenter-koeln", "type": "job_centre", "name": "Jobcenter Köln"} | overrides


def activity_body(**overrides) -> dict:
    return {"region": "DE-NW", "format": "training", "target_group": "labour_market",
            "topic": "intercultural_competence", "held_on": "2019-03-04", "participants": 12} | overrides


def consultation_body(**overrides) -> dict:
    return {"region": "DE-NW", "organisation_code": "jobcenter-koeln", "topic": "equal_treatment_act",
            "held_on": "2019-03-04"} | overrides


@pytest.fixture
def client(kafka, database_url, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    app = build_app(Settings(database_url=database_url, kafka=fast_group(kafka)))
    with TestClient(app) as client:
        client.database_url = database_url
        yield client


@pytest.fixture
def job_centre(client) -> dict:
    response = client.post("/v1/organisations", json=organisation_body(), headers=token())
    assert response.status_code == 201, response.text
    return response.json()


def stored(client, *tables: str) -> tuple[int, ...]:
    """Row counts in the service's database (default: activities, consultations, outbox)."""
    engine = create_engine(async_url(client.database_url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg"))
    with engine.connect() as connection:
        counts = tuple(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                       for t in tables or ("activities", "consultations", "outbox"))
    engine.dispose()
    return counts
