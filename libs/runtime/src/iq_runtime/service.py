"""Wiring shared by every service process: database, broker, migrations, telemetry and the
HTTP app whose lifespan starts and stops them (FastStream's FastAPI router is deprecated)."""

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from iq_contracts import topics

from . import local_broker, migrations
from .broker import create_broker, ensure_topics
from .database import create_engine, dispose, session_factory
from .errors import install_handlers
from .settings import ServiceSettings
from .telemetry import FASTAPI_TELEMETRY_OFF, ServerSpans

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker
    broker: KafkaBroker
    bootstrap_servers: str
    background: list[asyncio.Task] = field(default_factory=list)


def connect(settings: ServiceSettings, bootstrap_servers: str | None = None) -> Runtime:
    """`bootstrap_servers`: of a runtime already connected (a second set of connections, for
    another event loop); else the settings' cluster, or the local broker, started if need be."""
    bootstrap = (bootstrap_servers or settings.kafka.bootstrap_servers
                 or local_broker.ensure(settings.local_broker_port))
    engine = create_engine(settings.database)
    return Runtime(
        settings=settings, engine=engine, sessions=session_factory(engine),
        broker=create_broker(settings.kafka, bootstrap, client_id=f"iq-{settings.service}"),
        bootstrap_servers=bootstrap,
    )


def create_app(runtime: Runtime, *, title: str, migrations_dir: Path,
               start: Callable[[Runtime], list] = lambda runtime: [], routers=(), publishes: bool = True) -> FastAPI:
    """`start` returns the coroutines to run in the background while the app serves.
    `publishes=False`: the app publishes nothing, so its broker (a producer) is not started."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrations.upgrade_before_serving(migrations_dir, runtime.settings.database)
        if publishes:
            await runtime.broker.start()
        await ensure_topics(runtime.bootstrap_servers, [*topics.ALL],
                            runtime.settings.kafka.client_options())
        runtime.background = [asyncio.create_task(job) for job in start(runtime)]
        _freeze_startup_objects()
        try:
            yield
        finally:
            await shut_down(runtime, runtime.background)

    # FastAPI's own telemetry is off: `ServerSpans` gives the one span per request we keep
    app = FastAPI(title=title, lifespan=lifespan, telemetry=FASTAPI_TELEMETRY_OFF)
    app.state.settings = runtime.settings
    app.state.runtime = runtime
    install_handlers(app)
    for router in routers:
        app.include_router(router)

    @app.get("/health", tags=["operations"])
    async def health() -> dict:
        return {"status": "ok", "service": runtime.settings.service, "region": runtime.settings.region}

    app.add_middleware(ServerSpans)
    return app


async def shut_down(runtime: Runtime, tasks: list[asyncio.Task]) -> None:
    """Cancel `tasks` (what ran beside the runtime), then stop its broker and close its
    database. Each step is bounded: a client stuck on an unanswered broker request must not
    keep the process from stopping (it is then abandoned, and the log says so)."""
    for task in tasks:
        task.cancel()
    await _bounded("background tasks", asyncio.gather(*tasks, return_exceptions=True))
    await _bounded("broker", runtime.broker.stop())
    await _bounded("database", dispose(runtime.engine))


def _freeze_startup_objects() -> None:
    """Keep the objects of startup (modules, routes, schemas, tables: ~150,000) out of the
    garbage collector's full collections, which otherwise walk all of them: one took 94 ms,
    during which no request was served. They live as long as the process anyway."""
    gc.collect()
    gc.freeze()


SHUTDOWN_STEP_SECONDS = 10.0


async def _bounded(what: str, step) -> None:
    try:
        await asyncio.wait_for(step, SHUTDOWN_STEP_SECONDS)
    except TimeoutError:
        log.warning("shutdown: %s did not stop within %.0f s; abandoned", what, SHUTDOWN_STEP_SECONDS)
