"""`ServerSpans`: one SERVER span per request that continues the caller's trace and is
current while the route runs (so the outbox row stores it), named after the route."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry.trace import SpanKind, StatusCode

from iq_runtime.telemetry import FASTAPI_TELEMETRY_OFF, ServerSpans, current_traceparent

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


def app() -> FastAPI:
    app = FastAPI(telemetry=FASTAPI_TELEMETRY_OFF)  # as `create_app` builds it

    @app.post("/v1/things/{thing_id}", status_code=201)
    async def record(thing_id: str) -> dict:
        return current_traceparent()  # what an outbox row of this request would store

    @app.get("/v1/broken")
    async def broken() -> dict:
        raise RuntimeError("boom")

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}

    app.add_middleware(ServerSpans)
    return app


def finished(spans, kind=SpanKind.SERVER):
    return [span for span in spans.get_finished_spans() if span.kind is kind]


def test_a_request_gets_one_server_span_continuing_the_callers_trace(spans):
    spans.clear()
    response = TestClient(app()).post("/v1/things/7", headers={
        "traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"})

    [span] = finished(spans)
    assert span.name == "POST /v1/things/{thing_id}"
    assert format(span.context.trace_id, "032x") == CALLER_TRACE
    assert format(span.parent.span_id, "016x") == CALLER_SPAN
    assert span.attributes["http.route"] == "/v1/things/{thing_id}"
    assert span.attributes["http.response.status_code"] == 201
    # inside the route the server span is current: that is the trace the outbox row keeps
    assert response.json()["traceparent"] == f"00-{CALLER_TRACE}-{format(span.context.span_id, '016x')}-01"


def test_a_request_without_trace_context_starts_a_trace(spans):
    spans.clear()
    TestClient(app()).post("/v1/things/7")

    [span] = finished(spans)
    assert span.parent is None
    assert span.context.is_valid


def test_a_server_error_marks_the_span(spans):
    spans.clear()
    response = TestClient(app(), raise_server_exceptions=False).get("/v1/broken")

    assert response.status_code == 500
    [span] = finished(spans)
    assert span.name == "GET /v1/broken"
    assert span.status.status_code is StatusCode.ERROR


def test_health_checks_are_not_traced(spans):
    spans.clear()
    TestClient(app()).get("/health")

    assert finished(spans) == []
