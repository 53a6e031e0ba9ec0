"""The Fair Integration service under test: its app with the lifespan against the real
broker and a real database (SQLite and PostgreSQL), and request helpers."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from iq_fair_integration.bootstrap import Settings, build_app
from iq_runtime.auth import Role, issue_token
from iq_runtime.database import async_url
from tests.kafka_helpers import fast_group

SECRET = "fair-integration-api-test-secret-long-enough"
TABLES = ("advice_sessions", "group_events", "referrals", "outbox")


def token(region="DE-NW", role=Role.RECORDER) -> dict:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'adviser', region, role)}"}


def analyst(region="national") -> dict:
    return token(region, Role.ANALYST)


def advice_body(**overrides) -> dict:
    return {"region": "DE-NW", "occurred_on": "2019-03-04", "session_type": "initial",
            "topics": ["wages", "holiday"], "residence_status": "tolerated", "citizenship": "SY",
            "person_id": "F-17"} | overrides


def group_event_body(**overrides) -> dict:
    return {"region": "DE-NW", "held_on": "2019-03-05", "topics": ["working_time"], "participants": 31} | overrides


def referral_body(**overrides) -> dict:
    return {"region": "DE-NW", "occurred_on": "2019-03-06", "citizenship": "RO", "person_id": "F-18"} | overrides


@pytest.fixture
def client(kafka, database_url, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    app = build_app(Settings(database_url=database_url, kafka=fast_group(kafka)))
    with TestClient(app) as client:
        client.database_url = database_url
        yield client


def stored(client) -> dict[str, int]:
    """Rows per table in the service's database (advice sessions, group events, referrals, outbox)."""
    engine = create_engine(async_url(client.database_url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg"))
    with engine.connect() as connection:
        counts = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    engine.dispose()
    return counts


NOTHING = dict.fromkeys(TABLES, 0)


def error_of(response) -> dict:
    [error] = response.json()["detail"]
    return error
