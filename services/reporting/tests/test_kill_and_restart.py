"""kill -9 of the `iq-reporting serve` process while events stream in, then a restart: the
figures are exact (every event applied once), because a batch, its event ids and its offsets
commit in one transaction and the process resumes from the offsets in its database."""

import asyncio
import json
import signal
import urllib.request

import pytest

from iq_contracts import topics
from iq_reporting.bootstrap import MIGRATIONS
from iq_runtime.auth import Role, issue_token
from iq_runtime.broker import ensure_topics
from iq_runtime.database import create_engine, session_factory
from iq_runtime.local_broker import free_port
from iq_runtime.migrations import upgrade
from iq_runtime.platform import start_service, stop_all, wait_healthy
from tests.kafka_helpers import FAST_GROUP_ENV, eventually, produce

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

SECRET = "kill-and-restart-test-secret-long-enough"
FIGURES = "/v1/figures?period=2019&as_of=2030-01-01"


def sheet_over_http(service) -> dict:
    request = urllib.request.Request(f"{service.url}{FIGURES}", headers={
        "Authorization": f"Bearer {issue_token(SECRET, 'office', 'national', Role.ANALYST)}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


async def reference_projection(events, tmp_path, project_into) -> dict:
    """The same events projected in-process, in one batch, into a database of their own."""
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    upgrade(MIGRATIONS, url)
    engine = create_engine(url)
    try:
        return await project_into(session_factory(engine), events)
    finally:
        await engine.dispose()


async def test_figures_are_exact_after_kill_9_mid_stream_and_restart(kafka, database_url, tmp_path, event_stream,
                                                                        project_into):
    events = event_stream(seed=9, facts=2500)
    expected = await reference_projection(events, tmp_path, project_into)
    await ensure_topics(kafka, list(topics.ALL), {})
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka, "IQ_AUTH_SECRET": SECRET, "DATABASE_URL": database_url,
           **FAST_GROUP_ENV}
    service = start_service("reporting", free_port(), env, tmp_path)
    try:
        wait_healthy(service)
        producing = asyncio.create_task(_produce_in_chunks(kafka, events))

        async def some_applied():
            sheet = await asyncio.to_thread(sheet_over_http, service)
            return sheet if sheet["counselling"]["initial_advice_sessions"] > 0 else None

        last_seen = await eventually(some_applied, timeout=30, interval=0.02)
        service.process.send_signal(signal.SIGKILL)
        service.process.wait(10)
        assert last_seen and last_seen != expected, "nothing or everything applied before the kill: not mid-stream"
        await producing

        service = start_service("reporting", service.port, env, tmp_path)
        wait_healthy(service)

        async def exact():
            return await asyncio.to_thread(sheet_over_http, service) == expected
        assert await eventually(exact, timeout=60), "the figures after the restart differ from the events"
    finally:
        stop_all([service])


async def _produce_in_chunks(kafka: str, events, size: int = 100) -> None:
    """A stream that lasts a few seconds, so the kill lands in the middle of it."""
    for i in range(0, len(events), size):
        await produce(kafka, events[i:i + size])
        await asyncio.sleep(0.2)
