"""Real infrastructure for the tests: a Kafka-protocol broker and PostgreSQL.

Kafka: `KAFKA_BOOTSTRAP_SERVERS` if set; else a Kafka container when a Docker engine runs;
else a fresh local Tansu broker per test (it starts in ~50 ms and keeps nothing, so every
test sees only its own events). PostgreSQL: `TEST_POSTGRES_URL`, else a container, else
the local server at 127.0.0.1:5432 — each test gets a database of its own.
In CI (`CI=true`) missing infrastructure fails the run; elsewhere those tests skip."""

import contextlib
import os
import shutil
import subprocess
import uuid

import alembic  # noqa: F401  the apps under test then upgrade here, not in a child each (upgrade_before_serving)
import pytest

from iq_runtime import local_broker

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI needs this infrastructure: {reason}", pytrace=False)
    pytest.skip(reason)


def docker_engine() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0


@pytest.fixture(scope="session")
def _kafka_container():
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or not docker_engine():
        yield None
        return
    from testcontainers.kafka import KafkaContainer

    with KafkaContainer().with_kraft() as kafka:
        yield kafka.get_bootstrap_server()


@pytest.fixture
def kafka(_kafka_container) -> str:
    """Bootstrap servers of a broker that holds nothing from other tests (when local)."""
    if shared := os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or _kafka_container:
        yield shared
        return
    port = local_broker.free_port()
    try:
        process = local_broker.start(port)
    except (OSError, RuntimeError) as exc:
        unavailable(f"no Kafka-compatible broker: {exc}")
    try:
        yield f"{local_broker.HOST}:{port}"
    finally:
        local_broker.stop(process)


@pytest.fixture(scope="session")
def _postgres_server() -> str:
    if configured := os.environ.get("TEST_POSTGRES_URL"):
        return configured
    if docker_engine():
        from testcontainers.postgres import PostgresContainer

        container = PostgresContainer("postgres:16-alpine", driver=None).start()
        return container.get_connection_url()
    return LOCAL_POSTGRES


@pytest.fixture
def postgres_url(_postgres_server) -> str:
    """A fresh, empty database on the PostgreSQL server, dropped afterwards."""
    import psycopg

    name = f"iq_test_{uuid.uuid4().hex[:12]}"
    admin_url = _postgres_server
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        unavailable(f"no PostgreSQL at {admin_url}: {exc}")
    base, _, _ = admin_url.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as conn, contextlib.suppress(psycopg.Error):
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Every database-backed integration test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'service.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session", autouse=True)
def spans():
    """Tracing as in production (SDK provider), with finished spans kept in memory."""
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter
