"""The reporting database's SQLite settings (wal.py): every connection gets them."""

import asyncio
import time

import pytest

from iq_reporting import wal
from iq_runtime.database import create_engine, dispose


async def test_every_connection_has_the_page_cache_and_the_later_commit_checkpoint(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'reporting.db'}")
    wal.tune(engine)
    try:
        async with engine.connect() as connection:
            autocheckpoint = (await connection.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar()
            cache = (await connection.exec_driver_sql("PRAGMA cache_size")).scalar()
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
    finally:
        await dispose(engine)
    assert autocheckpoint == wal.AUTOCHECKPOINT_PAGES != 1000  # SQLite's default
    assert cache == -wal.PAGE_CACHE_KB
    assert journal == "wal"  # the checkpoint settings mean nothing without it


async def test_a_cancelled_checkpointer_closes_its_connection_only_after_the_checkpoint_in_flight(
        tmp_path, monkeypatch):
    """Cancelled while its thread is inside SQLite (the end of a rebuild or of `serve`)."""
    calls = []

    class SlowConnection:
        def execute(self, sql):
            calls.append("checkpoint started")
            time.sleep(0.3)
            calls.append("checkpoint done")

        def close(self):
            calls.append("closed")

    monkeypatch.setattr(wal.sqlite3, "connect", lambda *args, **kwargs: SlowConnection())
    monkeypatch.setattr(wal, "INTERVAL_SECONDS", 0.01)
    engine = create_engine(f"sqlite:///{tmp_path / 'reporting.db'}")
    checkpointer = asyncio.create_task(wal.checkpoint_forever(engine))
    while not calls:
        await asyncio.sleep(0.01)
    checkpointer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await checkpointer
    await dispose(engine)
    assert calls == ["checkpoint started", "checkpoint done", "closed"]
