"""The reporting database's SQLite settings (wal.py): every connection gets them."""

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
