"""The exactly-once-in-effect consumer behind every projection.

Each batch is applied in ONE database transaction together with (a) the ids of the events
it applied, so a redelivered or replayed event is skipped, and (b) the next offset of every
partition, so a restart resumes exactly where the last commit left off. The database, not
Kafka, owns the offsets: on assignment the consumer seeks to what the database says (or to
the beginning when it knows nothing, which is how a projection is rebuilt from zero).
Offsets are also committed to Kafka afterwards, only so that lag shows in standard tools."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .delivery import DeadLetters, Delivery, Undeliverable, decode
from .ledger import Ledger
from .telemetry import meter

log = logging.getLogger(__name__)

Apply = Callable[[AsyncSession, list[Delivery]], Awaitable[None]]

consumed = meter.create_counter("iq.projection.consumed", unit="{event}", description="events consumed")
duplicates = meter.create_counter("iq.projection.duplicates", unit="{event}",
                                  description="events skipped as already applied")
dead_lettered = meter.create_counter("iq.projection.dead_letters", unit="{event}",
                                     description="events parked in the dead-letter topic")
delay = meter.create_histogram("iq.projection.delay", unit="s", description="recorded -> visible in the figures")
lag_gauge = meter.create_gauge("iq.projection.lag", unit="{event}", description="consumer lag per partition")


class ProjectionConsumer:
    def __init__(self, *, consumer: AIOKafkaConsumer, topics: list[str], sessions: async_sessionmaker,
                 ledger: Ledger, apply: Apply, dead_letters: DeadLetters, max_records: int = 20000) -> None:
        self.consumer = consumer
        self.topics = topics
        self.sessions = sessions
        self.ledger = ledger
        self.apply = apply
        self.dead_letters = dead_letters
        self.max_records = max_records
        # held while a batch is applied, so a rebalance never revokes a partition mid-batch
        self._applying = asyncio.Lock()

    async def run(self) -> None:
        try:
            # inside the try: a cancel while joining the group must still close the consumer
            await self.start()
            while True:
                await self.poll_once()
        finally:
            await self.stop()

    async def start(self) -> None:
        self.consumer.subscribe(self.topics, listener=_ResumeFromLedger(self))
        await self.consumer.start()

    async def stop(self) -> None:
        await self.consumer.stop()

    async def catch_up(self, progress=None) -> int:
        """Apply every partition of the topics from the ledger's offsets (the beginning when it
        knows nothing) up to the end offsets as of now, then stop: how a projection is rebuilt.
        `progress` (a tqdm bar) gets the total, then the count of each batch."""
        await self.consumer.start()
        try:
            await self.consumer.topics()  # fetches the metadata: which partitions exist
            partitions = [TopicPartition(topic, partition) for topic in self.topics
                          for partition in sorted(self.consumer.partitions_for_topic(topic) or ())]
            self.consumer.assign(partitions)
            await self._rewind(partitions)
            ends = await self.consumer.end_offsets(partitions)
            starts = {tp: await self.consumer.position(tp) for tp in partitions}
            if progress is not None:
                progress.total = sum(max(ends[tp] - starts[tp], 0) for tp in partitions)
                progress.refresh()
            done = 0
            while behind := [tp for tp in partitions if await self.consumer.position(tp) < ends[tp]]:
                self.consumer.pause(*(tp for tp in partitions if tp not in behind))  # nothing past the end
                batch = await self.poll_once()
                done += batch
                if progress is not None:
                    progress.update(batch)
            return done
        finally:
            await self.consumer.stop()

    async def poll_once(self, timeout_ms: int = 200) -> int:
        batches = await self.consumer.getmany(timeout_ms=timeout_ms, max_records=self.max_records)
        records = [record for batch in batches.values() for record in batch]
        if not records:
            return 0
        async with self._applying:
            try:
                await self._apply_batch(records)
            except Exception:
                log.exception("projection batch failed; rewinding to the ledger's offsets")
                await self._rewind(list(batches))
                await asyncio.sleep(1)
                return 0
        await self._commit_to_kafka(records)
        self._observe_lag(batches)
        return len(records)

    async def _apply_batch(self, records) -> None:
        deliveries = []
        for record in records:
            try:
                deliveries.append(decode(record))
            except Undeliverable as exc:
                # parked before the offsets move past it, so nothing is ever lost
                await self.dead_letters.park(record, str(exc))
                dead_lettered.add(1)
        async with self.sessions.begin() as session:
            fresh = await self.ledger.admit(session, deliveries)
            await self.apply(session, fresh)
            await self.ledger.advance(session, records)
        consumed.add(len(records))
        duplicates.add(len(deliveries) - len(fresh))
        now = datetime.now(UTC)
        for delivery in fresh:
            delay.record((now - delivery.event.recorded_at).total_seconds())

    async def _rewind(self, partitions: list[TopicPartition]) -> None:
        async with self.sessions() as session:
            stored = await self.ledger.offsets(session, partitions)
        for tp in partitions:
            if tp in stored:
                self.consumer.seek(tp, stored[tp])
            else:
                await self.consumer.seek_to_beginning(tp)

    async def _commit_to_kafka(self, records) -> None:
        offsets = {TopicPartition(r.topic, r.partition): r.offset + 1 for r in records}
        try:
            await self.consumer.commit(offsets)
        except Exception as exc:  # informational only: the ledger is the source of truth
            log.debug("kafka offset commit skipped: %s", exc)

    def _observe_lag(self, batches) -> None:
        for tp, batch in batches.items():
            highwater = self.consumer.highwater(tp)
            if highwater is not None:
                lag_gauge.set(highwater - batch[-1].offset - 1, {"topic": tp.topic, "partition": tp.partition})


class _ResumeFromLedger(ConsumerRebalanceListener):
    def __init__(self, owner: ProjectionConsumer) -> None:
        self.owner = owner

    async def on_partitions_revoked(self, revoked) -> None:
        async with self.owner._applying:  # wait for the batch in flight to commit
            pass

    async def on_partitions_assigned(self, assigned) -> None:
        await self.owner._rewind(list(assigned))
