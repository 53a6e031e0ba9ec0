"""The counselling service under test: its app with the lifespan against the real broker
and a real database (SQLite and PostgreSQL), and request helpers. Every client starts with
the contact point koeln-01 of DE-NW open since 2019-01-01, as sessions need one."""

import time

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


def contact_point_body(**overrides) -> dict:
    return {"region": "DE-NW", "code": "koeln-01", "type": "permanent", "opened_on": "2019-01-01"} | overrides


def open_contact_point(client, **overrides) -> None:
    response = client.post("/v1/contact-points", json=contact_point_body(**overrides),
                           headers=token(overrides.get("region", "DE-NW")))
    assert response.status_code == 201, response.text


@pytest.fixture
def client(kafka, database_url, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    app = build_app(Settings(database_url=database_url, kafka=fast_group(kafka)))
    with TestClient(app) as client:
        client.database_url = database_url
        open_contact_point(client)
        published(client)
        yield client


def counts(client, *tables: str) -> tuple[int, ...]:
    engine = create_engine(async_url(client.database_url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg"))
    with engine.connect() as connection:
        found = tuple(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables)
    engine.dispose()
    return found


def published(client, timeout: float = 15.0) -> None:
    """Wait until the relay has published (and marked) every event in the outbox.

    On SQLite a request that reads before it writes fails while the relay marks rows at the
    same moment (the runtime's deferred BEGIN; see the README), so tests settle the relay first."""
    deadline = time.monotonic() + timeout
    while counts(client, "outbox WHERE published_at IS NULL") != (0,):
        assert time.monotonic() < deadline, "the relay did not publish the outbox"
        time.sleep(0.02)


def post(client, path: str, body: dict, headers: dict | None = None):
    """POST, then wait for the relay to publish what the request stored (see `published`)."""
    response = client.post(path, json=body, headers=token() if headers is None else headers)
    published(client)
    return response


def stored(client) -> tuple[int, int]:
    """(advice sessions, outbox rows) the test stored, besides the opening of koeln-01."""
    sessions, events = counts(client, "advice_sessions", "outbox")
    return sessions, events - 1
