"""What a projection has applied: event ids (for de-duplication) and partition offsets,
written in the projection's own transaction."""

from aiokafka import TopicPartition
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Uuid, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .delivery import Delivery


def ledger_tables(metadata: MetaData) -> tuple[Table, Table]:
    applied = Table("applied_events", metadata, Column("event_id", Uuid, primary_key=True))
    offsets = Table(
        "partition_offsets",
        metadata,
        Column("consumer_group", String(200), primary_key=True),
        Column("topic", String(200), primary_key=True),
        Column("partition", Integer, primary_key=True),
        Column("next_offset", BigInteger, nullable=False),
    )
    return applied, offsets


class Ledger:
    def __init__(self, applied: Table, offsets: Table, consumer_group: str) -> None:
        self.applied = applied
        self.offset_table = offsets
        self.group = consumer_group

    async def admit(self, session: AsyncSession, deliveries: list[Delivery]) -> list[Delivery]:
        """Record the batch's event ids and return the deliveries not applied before, in
        order. ON CONFLICT DO NOTHING also settles a race between two consumers on
        PostgreSQL: the second waits for the first's commit and then skips."""
        first_seen: dict = {}
        for delivery in deliveries:
            first_seen.setdefault(delivery.event.event_id, delivery)
        if not first_seen:
            return []
        statement = _insert(session, self.applied).on_conflict_do_nothing().returning(self.applied.c.event_id)
        new_ids = set(
            (await session.execute(statement, [{"event_id": eid} for eid in first_seen])).scalars()
        )
        return [d for eid, d in first_seen.items() if eid in new_ids]

    async def advance(self, session: AsyncSession, records) -> None:
        next_offsets = {(r.topic, r.partition): r.offset + 1 for r in records}
        statement = _insert(session, self.offset_table)
        statement = statement.on_conflict_do_update(
            index_elements=["consumer_group", "topic", "partition"],
            set_={"next_offset": statement.excluded.next_offset},
        )
        await session.execute(statement, [
            {"consumer_group": self.group, "topic": topic, "partition": partition, "next_offset": offset}
            for (topic, partition), offset in next_offsets.items()
        ])

    async def offsets(self, session: AsyncSession, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        t = self.offset_table
        wanted = [(tp.topic, tp.partition) for tp in partitions]
        if not wanted:
            return {}
        rows = await session.execute(
            select(t.c.topic, t.c.partition, t.c.next_offset)
            .where(t.c.consumer_group == self.group, tuple_(t.c.topic, t.c.partition).in_(wanted))
        )
        return {TopicPartition(topic, partition): offset for topic, partition, offset in rows}


def _insert(session: AsyncSession, table: Table):
    dialect = session.bind.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def create_ledger_tables(op) -> None:
    """For a projecting service's first migration (see `create_outbox_table`)."""
    metadata = MetaData()
    ledger_tables(metadata)
    metadata.create_all(op.get_bind())
