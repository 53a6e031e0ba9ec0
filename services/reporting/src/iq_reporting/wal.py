"""SQLite's WAL checkpoints mostly off the projection's commit path.

The commit that takes the write-ahead log past 1,000 pages copies the log into the database
file and syncs it, inside the committing call: every few live windows one commit took ~40 ms
longer (bench/README.md). A thread of its own checkpoints every half second on a connection
of its own, so the copying runs on the other core while the event loop goes on (sqlite3
releases the GIL meanwhile) and the commit's own checkpoint finds little left to copy.
The commit's checkpoint stays on: only a writer that finds the log fully copied starts it
from the beginning again, and with checkpoints in the thread alone the log grew to 2.7 GB
in the benchmark. But it starts at 10,000 pages (40 MB), not SQLite's 1,000: a live window
writes ~400 pages, so at 1,000 every second or third commit copied and synced the log
itself (~50 ms instead of ~7; publish -> visible p99 304 -> 261 ms in one benchmark run each), while
the thread, every half second, now nearly always comes first. Past 40 MB the commit still
checkpoints itself, so the log is reset as before (a single backlog window can write more,
and the file keeps its largest size, as it did at 1,000). A PASSIVE checkpoint never waits
for the writer."""

import asyncio
import contextlib
import logging
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
PAGE_CACHE_KB = 32 * 1024
INTERVAL_SECONDS = 0.5
AUTOCHECKPOINT_PAGES = 10_000


def tune(engine: AsyncEngine) -> None:
    """Before the engine's first connection: a larger page cache (32 MB instead of 2 MB: a
    window's upserts revisit the inner pages of every B-tree) and the commit's checkpoint
    from AUTOCHECKPOINT_PAGES on."""
    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cursor.close()


async def checkpoint_forever(engine: AsyncEngine) -> None:
    """Checkpoint the engine's database every INTERVAL_SECONDS, in a worker thread."""
    path = make_url(engine.url).database
    if not path or path == ":memory:":
        return
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    checkpoint = None
    try:
        while True:
            await asyncio.sleep(INTERVAL_SECONDS)
            # shielded: a cancel stops the waiting here, never the thread's work
            checkpoint = asyncio.create_task(asyncio.to_thread(_checkpoint, connection))
            await asyncio.shield(checkpoint)
    finally:
        if checkpoint is not None and not checkpoint.done():
            # the thread is still inside the connection: closing it under it crashed the
            # process (SIGSEGV at the end of a rebuild)
            await asyncio.wait([checkpoint])
        with contextlib.suppress(sqlite3.Error):
            connection.close()


def _checkpoint(connection: sqlite3.Connection) -> None:
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error as exc:  # a busy database: the next round catches up
        log.debug("checkpoint skipped: %s", exc)
