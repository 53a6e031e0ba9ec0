"""The counselling service under test: its app with the lifespan against the real broker
and a real database (SQLite and PostgreSQL), and request helpers."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from iq_counselling.bootstrap import Settings, build_app
from iq_runtime.auth import Role, issue_token
from iq_runtime.database import async_url
from tests.kafka_helpers import fast_group

SECRET = "counselling-api-test-secret-long-enough"


def token(region="DE-NW", role=Role.RECORDER) -> dict:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'adviser', region, role)}"}


def session_body(**overrides) -> dict:
    return {
        "region": "DE-NW", "contact_point": "koeln-01", "occurred_on": "2019-03-04",
        "kind": "recognition", "mode": "in_person",
        "occupation": {"classification": "kldb2010", "code": "81302"},
        "qualification_country": "SY", "occupation_regulated": True, "person_id": "A-17",
    } | overrides


@pytest.fixture
def client(kafka, database_url, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    app = build_app(Settings(database_url=database_url, kafka=fast_group(kafka)))
    with TestClient(app) as client:
        client.database_url = database_url
        yield client


def stored(client) -> tuple[int, int]:
    """(advice sessions, outbox rows) in the service's database."""
    engine = create_engine(async_url(client.database_url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg"))
    with engine.connect() as connection:
        counts = tuple(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                       for t in ("advice_sessions", "outbox"))
    engine.dispose()
    return counts
