"""What a projection has applied: event ids (for de-duplication) and partition offsets,
written in the projection's own transaction."""

from aiokafka import TopicPartition
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Uuid, func, select, tuple_
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
        order."""
        first_seen: dict = {}
        for delivery in deliveries:
            first_seen.setdefault(delivery.event.event_id, delivery)
        if not first_seen:
            return []
        if session.bind.dialect.name == "sqlite":
            new_ids = await self._admit_sqlite(session, first_seen)
        else:
            # ON CONFLICT DO NOTHING also settles a race between two consumers on PostgreSQL:
            # the second waits for the first's commit and then skips
            statement = _insert(session, self.applied).on_conflict_do_nothing().returning(self.applied.c.event_id)
            new_ids = set(
                (await session.execute(statement, [{"event_id": eid} for eid in first_seen])).scalars()
            )
        return [d for eid, d in first_seen.items() if eid in new_ids]

    async def _admit_sqlite(self, session: AsyncSession, first_seen: dict) -> set:
        """Through the driver, ids as the 32 hex digits SQLAlchemy's Uuid stores on SQLite:
        its per-row parameter handling cost more than the insert. The transaction holds
        SQLite's only write lock from the first write on, so nobody inserts in between."""
        connection = await session.connection()
        by_hex = {eid.hex: eid for eid in first_seen}
        hexes, seen = list(by_hex), set()
        for i in range(0, len(hexes), 500):
            chunk = hexes[i:i + 500]
            result = await connection.exec_driver_sql(
                f"SELECT event_id FROM {self.applied.name} WHERE event_id IN ({', '.join('?' * len(chunk))})",
                tuple(chunk))
            seen.update(row[0] for row in result)
        new = [(h,) for h in sorted(by_hex) if h not in seen]  # in key order: neighbouring pages
        if new:  # an empty list is one execution without parameters: an error, and the partition stalled
            await connection.exec_driver_sql(f"INSERT INTO {self.applied.name} (event_id) VALUES (?)", new)
        return {by_hex[h] for h, in new}

    async def advance(self, session: AsyncSession, next_offsets: dict[TopicPartition, int]) -> None:
        """`next_offsets`: the offset after the last record applied, per partition. Never
        backwards: a member pushed out of the group may still commit its last window after the
        partition's new owner went further."""
        if not next_offsets:
            return
        statement = _insert(session, self.offset_table)
        furthest = func.greatest if session.bind.dialect.name == "postgresql" else func.max  # max(a, b): scalar
        statement = statement.on_conflict_do_update(
            index_elements=["consumer_group", "topic", "partition"],
            set_={"next_offset": furthest(self.offset_table.c.next_offset, statement.excluded.next_offset)},
        )
        await session.execute(statement, [
            {"consumer_group": self.group, "topic": tp.topic, "partition": tp.partition, "next_offset": offset}
            for tp, offset in next_offsets.items()
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
