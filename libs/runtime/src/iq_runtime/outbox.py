"""Transactional outbox. A handler stages its events in the same transaction as its domain
rows; the relay publishes committed rows in order and marks them. The table is also the
service's durable event log: `replay()` publishes everything again.

Delivery is at-least-once (a crash between publishing and marking publishes again); the
consumers de-duplicate by event id, so the figures never see a duplicate."""

import asyncio
import logging
import time
from datetime import UTC, datetime

from opentelemetry import propagate, trace
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from iq_contracts.base import IntegrationEvent
from iq_contracts.envelope import envelope_for
from iq_contracts.registry import topic_of

from .broker import sender
from .database import WriteConnection, reading, write_transaction
from .per_record import per_record
from .telemetry import context_from, current_traceparent, meter, tracer

log = logging.getLogger(__name__)
published_counter = meter.create_counter("iq.outbox.published", unit="{event}", description="events published")
backlog_gauge = meter.create_gauge("iq.outbox.backlog", unit="{event}", description="events not yet published")


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        # BIGINT on PostgreSQL; SQLite only auto-increments an INTEGER primary key
        Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("headers", JSON, nullable=False),
        Column("trace_context", JSON, nullable=False),
        Column("payload", Text, nullable=False),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True)),
        Index("ix_outbox_unpublished", "position",
              postgresql_where=text("published_at IS NULL"), sqlite_where=text("published_at IS NULL")),
    )


class Outbox:
    """Writes events into the caller's transaction; never commits by itself."""

    def __init__(self, table: Table, service: str) -> None:
        self.table = table
        self.service = service
        # built once, run for every record
        self._insert = per_record(insert(table))

    async def stage(self, connection: WriteConnection, events: list[IntegrationEvent]) -> None:
        """`connection`: the unit of work's, in its transaction."""
        if not events:
            return
        trace_context = current_traceparent()
        rows = [self._row(event, trace_context) for event in events]
        await connection.execute(self._insert, rows)

    def _row(self, event: IntegrationEvent, trace_context: dict) -> dict:
        envelope = envelope_for(event, self.service)
        return {
            "event_id": event.event_id,
            "topic": topic_of(type(event)),
            "key": event.aggregate_id,
            "headers": {name: value.decode() for name, value in envelope.kafka_headers()},
            "trace_context": trace_context,
            "payload": event.model_dump_json(),
            "recorded_at": event.recorded_at,
        }


HAND_OVER_EVERY = 50  # rows handed to the producer between turns of the loop


class OutboxRelay:
    """Publishes unpublished rows in position order. Run one per service database: on
    PostgreSQL an advisory lock elects it, so extra replicas wait instead of racing."""

    def __init__(self, sessions: async_sessionmaker, table: Table, broker, batch_size: int = 500,
                 idle_seconds: float = 0.2, gather_seconds: float = 0.005) -> None:
        self.sessions = sessions
        self.table = table
        self.broker = broker
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self.gather_seconds = gather_seconds
        self._wakeup = asyncio.Event()
        self._backlog_observed_at = 0.0
        t = table
        self._pending = (select(t.c.position, t.c.topic, t.c.key, t.c.headers, t.c.trace_context, t.c.payload)
                         .where(t.c.published_at.is_(None)).order_by(t.c.position).limit(batch_size))

    def wake(self) -> None:
        """Called after a commit so new events leave at once rather than at the next poll."""
        self._wakeup.set()

    async def run(self) -> None:
        async with self._leadership():
            while True:
                try:
                    published = await self.publish_pending()
                except Exception:
                    log.exception("outbox relay failed; retrying")
                    published = 0
                    await asyncio.sleep(1)
                if published < self.batch_size:
                    await self._observe_backlog()
                    await self._idle()

    async def _observe_backlog(self) -> None:
        # at most once a second: the count is for dashboards, not worth a query per commit
        if time.monotonic() - self._backlog_observed_at >= 1.0:
            backlog_gauge.set(await self.backlog(), {"outbox": self.table.name})
            self._backlog_observed_at = time.monotonic()

    async def _idle(self) -> None:
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancel that
            # arrives as the event is set, and the relay then never stops
            async with asyncio.timeout(self.idle_seconds):
                await self._wakeup.wait()
        except TimeoutError:
            return
        # Under load commits arrive every millisecond: waiting a moment after the first
        # lets them share one read, one batch of sends and one mark instead of one each.
        await asyncio.sleep(self.gather_seconds)
        self._wakeup.clear()

    async def publish_pending(self) -> int:
        """One batch: read, publish and await every acknowledgement, then mark. Reading
        and marking are separate short transactions so writers are never blocked."""
        t = self.table
        async with reading(self.sessions) as connection:
            rows = (await connection.execute(self._pending)).all()
        if not rows:
            return 0
        send = sender(self.broker)
        acknowledgements = []
        for handed, row in enumerate(rows, 1):
            acknowledgements.append(await self._publish(send, row))
            if handed % HAND_OVER_EVERY == 0:
                # handing a row to the producer never waits, and takes ~40 us: a whole
                # batch would hold the requests behind it back for ~20 ms
                await asyncio.sleep(0)
        await asyncio.gather(*acknowledgements)  # every broker acknowledgement (acks=all)
        # by position, not by range: on PostgreSQL a lower position may commit later
        async with write_transaction(self.sessions) as connection:
            await connection.execute(
                update(t).where(t.c.position.in_([row.position for row in rows]))
                .values(published_at=datetime.now(UTC))
            )
            await connection.commit()
        published_counter.add(len(rows))
        return len(rows)

    async def _publish(self, send, row) -> asyncio.Future:
        """Hands the event to the producer straight from the row (FastStream's publish path
        cost as much again as the rest of the relay). Like FastStream's telemetry middleware,
        a PRODUCER span continues the trace of the request that recorded the event, and its
        context travels in the `traceparent` header."""
        span = tracer.start_span(f"{row.topic} publish", context=context_from(row.trace_context),
                                 kind=trace.SpanKind.PRODUCER, attributes={
                                     "messaging.system": "kafka", "messaging.operation.type": "publish",
                                     "messaging.destination.name": row.topic})
        try:
            headers = dict(row.headers)
            propagate.inject(headers, context=trace.set_span_in_context(span))
            # FastStream consumers read a correlation id; the event id is the natural one
            headers.setdefault("correlation_id", headers.get("ce_id", ""))
            return await send(row.topic, row.payload.encode(), row.key.encode(),
                              [(name, value.encode()) for name, value in headers.items()])
        finally:
            span.end()

    async def backlog(self) -> int:
        async with self.sessions() as session:
            return await session.scalar(
                select(func.count()).select_from(self.table).where(self.table.c.published_at.is_(None))
            )

    def _leadership(self):
        return _AdvisoryLock(self.sessions, key=f"outbox:{self.table.name}")


async def replay(sessions: async_sessionmaker, table: Table) -> int:
    """Mark every event unpublished; the relay then publishes the whole log again, in order."""
    async with write_transaction(sessions) as connection:
        result = await connection.execute(update(table).values(published_at=None))
        await connection.commit()
    return result.rowcount


class _AdvisoryLock:
    """A PostgreSQL session advisory lock held for the relay's lifetime (no-op on SQLite)."""

    def __init__(self, sessions: async_sessionmaker, key: str) -> None:
        self.sessions = sessions
        self.key = key
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> None:
        session = self.sessions()
        if session.bind.dialect.name != "postgresql":
            await session.close()
            return
        self._session = session
        while not await session.scalar(select(func.pg_try_advisory_lock(func.hashtext(self.key)))):
            await asyncio.sleep(2)

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            # the lock belongs to the pooled connection, so it must be given back explicitly
            await self._session.execute(select(func.pg_advisory_unlock_all()))
            await self._session.close()


def create_outbox_table(op) -> None:
    """For a service's first migration: the outbox as this version of the runtime defines
    it. Later changes to the outbox come with migrations of their own."""
    outbox_table(MetaData()).create(op.get_bind())
