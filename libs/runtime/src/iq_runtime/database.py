"""Async SQLAlchemy engines for SQLite (default) and PostgreSQL, from one kind of URL."""

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str) -> str:
    """Accept plain `sqlite:///…` and `postgresql://…` URLs and pick the async driver."""
    parsed = make_url(url)
    if parsed.drivername in _ASYNC_DRIVERS:
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str) -> AsyncEngine:
    url = async_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file, not the directory it lives in."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(url: str) -> AsyncEngine:
    ensure_sqlite_directory(url)
    engine = create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # The driver's own implicit transactions break SAVEPOINTs (bulk import uses one per
        # row), so it is switched off and SQLAlchemy's "begin" emits BEGIN itself.
        dbapi_connection.isolation_level = None
        # WAL lets the relay and the consumer read while a request writes; NORMAL sync is
        # durable across process crashes (not power loss), the usual choice with WAL.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
