"""The record route answers as FastAPI's own handler would: the token before the body,
422 naming the field for a bad command, and the same OpenAPI document; an endpoint it
cannot serve is refused when the route is built."""

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field

from iq_runtime.auth import Recorder, Role, issue_token
from iq_runtime.errors import install_handlers
from iq_runtime.record_route import RecordRoute
from iq_runtime.settings import ServiceSettings

SECRET = "a-test-secret-long-enough-for-hs256"


class Visit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: str = Field(pattern=r"^DE-[A-Z]{2}$")
    visitors: int = Field(ge=1)


async def _desk(request: Request) -> str:
    return request.app.state.desk


async def record_visit(visit: Visit, principal: Recorder, desk: Annotated[str, Depends(_desk)]) -> Response:
    return Response(f"{desk}:{principal.region}:{visit.region}:{visit.visitors}", status_code=201)


def app_with(*routes) -> FastAPI:
    router = APIRouter(prefix="/v1")
    for path, endpoint, route_class in routes:
        router.add_api_route(path, endpoint, methods=["POST"], route_class_override=route_class, status_code=201)
    app = FastAPI()
    app.state.settings = ServiceSettings(service="test", IQ_AUTH_SECRET=SECRET)
    app.state.desk = "desk-1"
    install_handlers(app)
    app.include_router(router)
    return app


@pytest.fixture
def client():
    return TestClient(app_with(("/visits", record_visit, RecordRoute)))


def token(role: Role = Role.RECORDER) -> dict:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'tester', 'DE-NW', role)}"}


def test_a_valid_command_reaches_the_endpoint_with_its_dependencies(client):
    response = client.post("/v1/visits", json={"region": "DE-BY", "visitors": 3}, headers=token())
    assert (response.status_code, response.text) == (201, "desk-1:DE-NW:DE-BY:3")


@pytest.mark.parametrize(("body", "loc", "kind"), [
    ({"region": "DE-BY", "visitors": 0}, ["body", "visitors"], "greater_than_equal"),
    ({"region": "Bavaria", "visitors": 2}, ["body", "region"], "string_pattern_mismatch"),
    ({"region": "DE-BY"}, ["body", "visitors"], "missing"),
    ({"region": "DE-BY", "visitors": 2, "name": "Max"}, ["body", "name"], "extra_forbidden"),
])
def test_a_bad_command_is_422_naming_the_field(client, body, loc, kind):
    response = client.post("/v1/visits", json=body, headers=token())
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["type"]) == (loc, kind)


def test_a_body_that_is_not_json_is_422_on_the_body(client):
    response = client.post("/v1/visits", content=b"region=DE-BY", headers=token())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "text/csv"])
def test_a_body_sent_as_anything_but_json_is_422_on_the_body(client, content_type):
    response = client.post("/v1/visits", content=b'{"region": "DE-BY", "visitors": 3}',
                           headers=token() | {"content-type": content_type})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"] and "application/json" in response.text
    assert client.post("/v1/visits", content=b'{"region": "DE-BY", "visitors": 3}', headers=token() | {
        "content-type": "application/json; charset=utf-8"}).status_code == 201


def test_the_token_is_checked_before_the_body(client):
    assert client.post("/v1/visits", content=b"not json").status_code == 401
    assert client.post("/v1/visits", json={"visitors": 0}, headers=token(Role.ANALYST)).status_code == 403


def test_the_openapi_document_is_the_one_of_an_ordinary_route():
    def document(route_class) -> dict:
        return TestClient(app_with(("/visits", record_visit, route_class))).get("/openapi.json").json()

    assert document(RecordRoute) == document(None)
    operation = document(RecordRoute)["paths"]["/v1/visits"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/Visit")
    assert operation["security"] == [{"HTTPBearer": []}]


async def with_path(visit_id: int, visit: Visit) -> Response:
    return Response(status_code=201)


async def with_query(visit: Visit, dry_run: bool = False) -> Response:
    return Response(status_code=201)


def sync_desk(request: Request) -> str:
    return "desk"


async def with_sync_dependency(visit: Visit, desk: Annotated[str, Depends(sync_desk)]) -> Response:
    return Response(status_code=201)


@pytest.mark.parametrize(("path", "endpoint"), [
    ("/visits/{visit_id}", with_path), ("/visits", with_query), ("/visits", with_sync_dependency),
])
def test_an_endpoint_the_record_route_cannot_serve_is_refused_when_built(path, endpoint):
    with pytest.raises(TypeError, match="use an ordinary route"):
        app_with((path, endpoint, RecordRoute))
