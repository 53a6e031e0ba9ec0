"""Alembic, once for all services: each service's `env.py` calls `run_env(metadata)` and
each process upgrades its own database to head before it serves.

A process that serves afterwards upgrades in a child process (`upgrade_before_serving`):
Alembic's modules, with every PostgreSQL dialect they import, take ~14 MB that a process
never frees once imported, and the reporting service must stay within 256 MB. So Alembic is
imported only inside the functions that use it."""

import asyncio
import logging
import subprocess
import sys
import threading
import traceback
from pathlib import Path

from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine

from .database import async_url, ensure_sqlite_directory

log = logging.getLogger(__name__)


class MigrationFailed(RuntimeError):
    """The child process could not bring the database to the newest revision."""


def alembic_config(migrations_dir: Path, url: str):
    from alembic.config import Config

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
        from alembic import command

        try:
            command.upgrade(alembic_config(migrations_dir, url), "head")
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=_run, name="alembic-upgrade")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


def upgrade_before_serving(migrations_dir: Path, url: str) -> None:
    """`upgrade` for a process that serves afterwards: in a child process, unless this one
    has loaded Alembic already (a test run, a command line tool), which costs ~1.5 s less."""
    if "alembic" in sys.modules:
        upgrade(migrations_dir, url)
    else:
        upgrade_apart(migrations_dir, url)


def upgrade_apart(migrations_dir: Path, url: str) -> None:
    """`upgrade` in a child process. The URL goes on standard input: a command line, with
    the database's password, is visible to every user."""
    child = subprocess.run([sys.executable, "-m", __name__, str(migrations_dir)], input=url, text=True,
                           capture_output=True, check=False)
    if child.returncode:
        log.error("upgrading %s failed:\n%s", migrations_dir, child.stderr.strip())
        reason = child.stderr.strip().splitlines()[-1:] or [f"exit code {child.returncode}"]
        raise MigrationFailed(f"upgrading {migrations_dir} failed: {reason[0]}")
    if child.stderr.strip():
        log.info("upgrading %s: %s", migrations_dir, child.stderr.strip())


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's migrations/env.py."""
    from alembic import context

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
    from alembic import context

    # batch mode lets later migrations alter SQLite tables the same way as PostgreSQL ones
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _child(migrations_dir: str) -> int:
    """upgrade_apart's child: the traceback for the log, then the reason as its last line."""
    try:
        upgrade(Path(migrations_dir), sys.stdin.read())
    except Exception as exc:  # noqa: BLE001  everything is reported to the parent
        traceback.print_exc()
        # SQLAlchemy's messages end in a line pointing to its docs: the first line is the reason
        reason = (str(exc).strip().splitlines() or [""])[0]
        print(f"{type(exc).__name__}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
