"""`iq-reporting rebuild` against the real broker: the rebuilt projection equals the live one."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from iq_contracts import topics
from iq_reporting.bootstrap import MIGRATIONS, Settings, projection_consumer
from iq_reporting.store import applied_events
from iq_runtime.broker import ensure_topics
from iq_runtime.migrations import upgrade
from iq_runtime.service import connect
from tests.kafka_helpers import FAST_GROUP_ENV, eventually, fast_group, produce

pytestmark = pytest.mark.kafka


@pytest.fixture
async def runtime(kafka, database_url):
    upgrade(MIGRATIONS, database_url)
    await ensure_topics(kafka, list(topics.ALL), {})
    runtime = connect(Settings(database_url=database_url, kafka=fast_group(kafka)))
    await runtime.broker.start()
    yield runtime
    await runtime.broker.stop()
    await runtime.engine.dispose()


async def applied(runtime) -> int:
    async with runtime.sessions() as session:
        return await session.scalar(select(func.count()).select_from(applied_events))


async def test_a_rebuild_equals_the_live_projection(runtime, kafka, database_url, event_stream, sheets):
    events = event_stream(seed=5, facts=600)
    await produce(kafka, events)
    live = projection_consumer(runtime)
    live.max_records = 37  # many small batches live, a few large ones in the rebuild
    await live.start()
    try:
        async def caught_up():
            await live.poll_once()
            return await applied(runtime) >= len(events)
        assert await eventually(caught_up, timeout=60)
    finally:
        await live.stop()
    before = await sheets(runtime.sessions)
    assert before[6]["counselling"]["initial_advice_sessions"] > 0  # 2019 as of 2020-02-20: not empty

    rebuild = await asyncio.to_thread(
        subprocess.run,
        [str(Path(sys.executable).parent / "iq-reporting"), "rebuild"], capture_output=True, text=True, timeout=120,
        env=os.environ | FAST_GROUP_ENV | {"DATABASE_URL": database_url, "KAFKA_BOOTSTRAP_SERVERS": kafka})
    assert rebuild.returncode == 0, rebuild.stderr
    assert f"rebuilt from {len(events)} events" in rebuild.stderr
    assert "event/s" in rebuild.stderr or "it/s" in rebuild.stderr or "100%" in rebuild.stderr  # the progress bar

    assert await applied(runtime) == len(events)
    after = await sheets(runtime.sessions)
    for view_before, view_after in zip(before, after, strict=True):
        assert view_after == view_before
