"""Alembic, once for all services: each service's `env.py` calls `run_env(metadata)` and
each process upgrades its own database to head before it serves."""

import asyncio
import threading
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine

from .database import async_url, ensure_sqlite_directory


def alembic_config(migrations_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    return config


def upgrade(migrations_dir: Path, url: str) -> None:
    """Bring the database to the newest revision. Runs in its own thread because Alembic's
    async env starts an event loop, and the caller may already be inside one."""
    errors: list[BaseException] = []
    ensure_sqlite_directory(url)

    def _run() -> None:
        try:
            command.upgrade(alembic_config(migrations_dir, url), "head")
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=_run, name="alembic-upgrade")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's migrations/env.py."""
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, target_metadata))


async def _run_online(url: str, target_metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_migrate, target_metadata)
    await engine.dispose()


def _migrate(connection, target_metadata: MetaData) -> None:
    # batch mode lets later migrations alter SQLite tables the same way as PostgreSQL ones
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
