"""Wiring: settings -> database, the projection consumer -> the HTTP app.

`serve` runs the projection on a thread and event loop of its own, with connections of its
own (iq_runtime/own_thread.py): a backlog window holds its loop for seconds, and the figures
API must answer meanwhile."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI

from iq_contracts import topics
from iq_runtime import telemetry
from iq_runtime.delivery import DeadLetters
from iq_runtime.ledger import Ledger
from iq_runtime.own_thread import in_own_thread
from iq_runtime.projection import ProjectionConsumer
from iq_runtime.service import Runtime, connect, create_app, shut_down
from iq_runtime.settings import ServiceSettings

from . import wal
from .projector import Projector
from .store import applied_events, partition_offsets

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# Events per window (one transaction). Its merged rows and record states stay in memory until
# the commit, so the window sets the process's peak: a rebuild of 200,000 events peaked at
# 253-258 MB with 15,000 and at 234-235 MB with 12,000, in the same time (bench/README.md).
WINDOW_EVENTS = 12_000


class Settings(ServiceSettings):
    service: str = "reporting"

    @property
    def consumer_group(self) -> str:
        return f"iq-reporting-{self.region.lower()}"


def projection_consumer(runtime: Runtime) -> ProjectionConsumer:
    settings: Settings = runtime.settings
    consumer = AIOKafkaConsumer(
        bootstrap_servers=runtime.bootstrap_servers,
        group_id=settings.consumer_group,
        client_id=f"iq-reporting-{settings.region.lower()}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=1024 * 1024,  # x 12 partitions prefetched: memory
        fetch_max_wait_ms=50,  # an idle fetch returns quickly, so a new event is visible within ~0.1 s
        **settings.kafka.consumer_options(),
    )
    return ProjectionConsumer(
        consumer=consumer,
        topics=list(topics.ALL),
        sessions=runtime.sessions,
        ledger=Ledger(applied_events, partition_offsets, settings.consumer_group),
        apply=Projector(settings.region),
        dead_letters=DeadLetters(runtime.broker, settings.consumer_group),
        max_records=WINDOW_EVENTS,
    )


def build_app(settings: Settings | None = None) -> FastAPI:
    from .api import router
    from .presentation_api import router as presentation_router

    settings = settings or Settings()
    telemetry.configure(settings.service, settings.region, settings.log_level)
    # Not tuned like the projection's (wal.tune): its 32 MB page cache cost the API process
    # 18 MB and made no cold sheet faster, the OS caches the file (bench/README.md); its
    # checkpoint setting is for a writer, and the API only reads.
    runtime = connect(settings)
    return create_app(runtime, title="IQ reporting", migrations_dir=MIGRATIONS,
                      start=lambda rt: [in_own_thread(lambda: project_forever(settings, rt.bootstrap_servers),
                                                      name="projection")],
                      routers=[router, presentation_router],
                      publishes=False)  # the projection's thread has the broker for its dead letters


async def project_forever(settings: Settings, bootstrap_servers: str) -> None:
    async with projecting(settings, bootstrap_servers) as runtime:
        await projection_consumer(runtime).run()


@contextlib.asynccontextmanager
async def projecting(settings: Settings, bootstrap_servers: str | None = None) -> AsyncIterator[Runtime]:
    """The projection's connections in the running loop (a broker too, for the dead-letter
    topic) and, on SQLite, the WAL checkpoints beside it; all closed on the way out."""
    runtime = connected(settings, bootstrap_servers)
    background = []
    try:  # a broker that does not start still leaves no open engine behind
        await runtime.broker.start()
        background = [asyncio.create_task(job) for job in checkpoints(runtime)]
        yield runtime
    finally:
        await shut_down(runtime, background)


def connected(settings: Settings, bootstrap_servers: str | None = None) -> Runtime:
    """A runtime, with SQLite tuned for the projection before its first connection."""
    runtime = connect(settings, bootstrap_servers)
    if runtime.engine.dialect.name == "sqlite":
        wal.tune(runtime.engine)
    return runtime


def checkpoints(runtime: Runtime) -> list:
    """What runs beside the projection: the WAL checkpoints on SQLite."""
    return [wal.checkpoint_forever(runtime.engine)] if runtime.engine.dialect.name == "sqlite" else []
