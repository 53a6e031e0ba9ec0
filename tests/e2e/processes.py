"""Service processes for the end-to-end tests, started as `make run` starts them, and a
small HTTP client: what every end-to-end test shares."""

import contextlib
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from iq_runtime.local_broker import free_port
from iq_runtime.platform import start_service, stop_all, wait_healthy
from tests.kafka_helpers import FAST_GROUP_ENV

SECRET = "end-to-end-test-secret-long-enough-for-hs256"


@contextlib.contextmanager
def running(names, kafka: str, data_dir: Path, **env: str) -> Iterator[dict[str, str]]:
    """The named services on free ports against `kafka`; yields name -> base URL. Each must
    shut down cleanly (uvicorn logs it after a graceful SIGTERM)."""
    environment = {"KAFKA_BOOTSTRAP_SERVERS": kafka, "IQ_AUTH_SECRET": SECRET, **FAST_GROUP_ENV, **env}
    services = [start_service(name, free_port(), environment, data_dir) for name in names]
    try:
        for service in services:
            wait_healthy(service)
        yield {service.name: service.url for service in services}
    finally:
        stop_all(services)
    for service in services:
        log = (data_dir / f"{service.name}.log").read_text()
        assert "Application shutdown complete" in log, f"{service.name} did not shut down cleanly:\n{log[-2000:]}"


def call(url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    """POST `body` (or GET without one) with a bearer token; (status, JSON answer)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
