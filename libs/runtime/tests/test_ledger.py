"""The ledger's partition offsets on SQLite and PostgreSQL: stored per consumer group, and
never moved back by a window that commits late."""

from aiokafka import TopicPartition
from sqlalchemy import MetaData

from iq_runtime.database import create_engine, dispose, session_factory
from iq_runtime.ledger import Ledger, ledger_tables

A, B = TopicPartition("iq.training.v1", 0), TopicPartition("iq.training.v1", 1)


async def test_offsets_only_move_forward_per_partition_and_group(database_url):
    metadata = MetaData()
    applied, offsets = ledger_tables(metadata)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        sessions = session_factory(engine)
        ours, others = Ledger(applied, offsets, "reporting"), Ledger(applied, offsets, "audit")
        for ledger, next_offsets in [(ours, {A: 500, B: 7}), (others, {A: 3}),
                                     # a member pushed out of the group commits its last window late
                                     (ours, {A: 120, B: 9})]:
            async with sessions.begin() as session:
                await ledger.advance(session, next_offsets)
        async with sessions() as session:
            assert await ours.offsets(session, [A, B]) == {A: 500, B: 9}
            assert await others.offsets(session, [A, B]) == {A: 3}
    finally:
        await dispose(engine)
