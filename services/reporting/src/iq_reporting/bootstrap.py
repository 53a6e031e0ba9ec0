"""Wiring: settings -> database, the projection consumer -> the HTTP app."""

from pathlib import Path

from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI
from sqlalchemy import event

from iq_contracts import topics
from iq_runtime import telemetry
from iq_runtime.delivery import DeadLetters
from iq_runtime.ledger import Ledger
from iq_runtime.projection import ProjectionConsumer
from iq_runtime.service import Runtime, connect, create_app
from iq_runtime.settings import ServiceSettings

from .projector import Projector
from .store import applied_events, partition_offsets

PAGE_CACHE_KB = 64 * 1024
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


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
    sqlite = runtime.engine.dialect.name == "sqlite"
    if sqlite:
        _larger_page_cache(runtime.engine)
    return ProjectionConsumer(
        consumer=consumer,
        topics=list(topics.ALL),
        sessions=runtime.sessions,
        ledger=Ledger(applied_events, partition_offsets, settings.consumer_group),
        apply=Projector(settings.region),
        dead_letters=DeadLetters(runtime.broker, settings.consumer_group),
        # a window's merged rows and record states stay in memory until its commit; PostgreSQL's
        # driver holds more per row, so its windows are shorter (peak RSS <= 256 MB, bench/README.md)
        max_records=50_000 if sqlite else 20_000,
    )


def _larger_page_cache(engine) -> None:
    """64 MB of SQLite page cache per connection instead of 2 MB: a window's upserts revisit
    the inner pages of every B-tree, which then stay in memory (measured in bench/README.md)."""
    @event.listens_for(engine.sync_engine, "connect")
    def _cache_size(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KB}")
        cursor.close()


def build_app(settings: Settings | None = None) -> FastAPI:
    from .api import router
    from .presentation_api import router as presentation_router

    settings = settings or Settings()
    telemetry.configure(settings.service, settings.region, settings.log_level)
    runtime = connect(settings)
    return create_app(runtime, title="IQ reporting", migrations_dir=MIGRATIONS,
                      start=lambda rt: [projection_consumer(rt).run()], routers=[router, presentation_router])
