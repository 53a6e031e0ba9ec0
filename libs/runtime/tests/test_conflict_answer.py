"""A database error caused by another transaction at the same moment (a unique key broken by
two requests for the same new record, a deadlock) is answered 409 with the reason; any other
database error is a bug: 500, logged, and no advice to retry."""

import sqlite3

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError

from iq_runtime.errors import at_the_same_moment, install_handlers


class AsyncpgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def sqlite_error(message: str) -> sqlite3.IntegrityError:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b INTEGER NOT NULL UNIQUE)")
    connection.execute("INSERT INTO t VALUES (1, 1)")
    try:
        connection.execute(message)
    except sqlite3.IntegrityError as exc:
        return exc
    raise AssertionError("no error")


@pytest.mark.parametrize(("exc", "concurrent"), [
    (IntegrityError("INSERT", {}, AsyncpgError("23505")), True),  # unique violation
    (OperationalError("UPDATE", {}, AsyncpgError("40P01")), True),  # deadlock detected
    (IntegrityError("INSERT", {}, AsyncpgError("23502")), False),  # not null violation
    (IntegrityError("INSERT", {}, AsyncpgError("23503")), False),  # foreign key violation
    (IntegrityError("INSERT", {}, sqlite_error("INSERT INTO t VALUES (2, 1)")), True),
    (IntegrityError("INSERT", {}, sqlite_error("INSERT INTO t VALUES (3, NULL)")), False),
])
def test_what_counts_as_another_request_at_the_same_moment(exc, concurrent):
    assert at_the_same_moment(exc) is concurrent


@pytest.mark.parametrize(("sqlstate", "status"), [("23505", 409), ("23502", 500)])
def test_the_answer(sqlstate, status):
    app = FastAPI()
    install_handlers(app)

    @app.post("/v1/contact-points")
    async def open_twice():
        raise IntegrityError("INSERT INTO contact_points ...", {}, AsyncpgError(sqlstate))

    response = TestClient(app).post("/v1/contact-points")
    assert response.status_code == status
    if status == 409:
        assert response.json()["detail"][0]["type"] == "conflict" and "send it again" in response.text
    else:
        assert "send it again" not in response.text
