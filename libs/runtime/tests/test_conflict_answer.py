"""A unique key broken by two requests at the same moment (PostgreSQL: both checked before
either committed) is answered 409 with the reason, not 500."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from iq_runtime.errors import install_handlers


def test_a_record_stored_meanwhile_by_another_request_is_a_conflict():
    app = FastAPI()
    install_handlers(app)

    @app.post("/v1/contact-points")
    async def open_twice():
        raise IntegrityError("INSERT INTO contact_points ...", {}, Exception("duplicate key value"))

    response = TestClient(app).post("/v1/contact-points")
    assert response.status_code == 409
    assert response.json()["detail"][0]["type"] == "conflict"
    assert "send it again" in response.json()["detail"][0]["msg"]
