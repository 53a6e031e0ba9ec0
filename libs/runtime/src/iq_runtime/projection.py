"""The exactly-once-in-effect consumer behind every projection.

Each window of batches is applied in ONE database transaction together with (a) the ids of
the events it applied, so a redelivered or replayed event is skipped, and (b) the next offset
of every partition, so a restart resumes exactly where the last commit left off. The database,
not Kafka, owns the offsets: on assignment the consumer seeks to what the database says (or to
the beginning when it knows nothing, which is how a projection is rebuilt from zero), and
drops what a fetch brings from around a rebalance (positions.py).
Offsets are also committed to Kafka afterwards, only so that lag shows in standard tools
(kafka_commits.py).

Write-behind: while the consumer is behind, it keeps fetching into the same transaction (the
projection folds each batch in memory) for up to `window_seconds` or `max_records`, then
writes and commits once: rows of the same key merge over the window and a commit's fixed cost
is shared. As soon as a fetch leaves the partitions (nearly) at their high watermarks it
commits, so a live event is visible after one fetch; and a window that holds an event
recorded less than LIVE_SECONDS ago ends by then even if a backlog follows."""

import asyncio
import logging
import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Protocol

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from . import collector
from .delivery import DeadLetters, Delivery, Undeliverable, decode
from .kafka_commits import KafkaCommits
from .ledger import Ledger
from .positions import Positions
from .telemetry import meter

log = logging.getLogger(__name__)
LIVE_SECONDS = 0.1  # a window holding an event recorded this recently commits by then
FETCH_GRACE_SECONDS = 0.5


class Projection(Protocol):
    """Folds batches into a pending window, writes it in the caller's transaction."""

    def fold(self, session: AsyncSession, deliveries: list[Delivery]) -> Awaitable[None]: ...
    def flush(self, session: AsyncSession) -> Awaitable[None]: ...
    def discard(self) -> None: ...


consumed = meter.create_counter("iq.projection.consumed", unit="{event}", description="events consumed")
duplicates = meter.create_counter("iq.projection.duplicates", unit="{event}",
                                  description="events skipped as already applied")
dead_lettered = meter.create_counter("iq.projection.dead_letters", unit="{event}",
                                     description="events parked in the dead-letter topic")
delay = meter.create_histogram("iq.projection.delay", unit="s", description="recorded -> visible in the figures")
lag_gauge = meter.create_gauge("iq.projection.lag", unit="{event}", description="consumer lag per partition")


class ProjectionConsumer:
    def __init__(self, *, consumer: AIOKafkaConsumer, topics: list[str], sessions: async_sessionmaker,
                 ledger: Ledger, apply: Projection, dead_letters: DeadLetters, max_records: int = 50000,
                 window_seconds: float = 1.0, fetch_records: int = 5000) -> None:
        self.consumer = consumer
        self.topics = topics
        self.sessions = sessions
        self.ledger = ledger
        self.apply = apply
        self.dead_letters = dead_letters
        self.max_records = max_records  # per transaction
        self.window_seconds = window_seconds
        self.fetch_records = fetch_records  # per fetch: decoded events are dropped after folding
        # held while a window is applied, so a rebalance never revokes a partition mid-window
        self._applying = asyncio.Lock()
        self.positions = Positions(consumer, sessions, ledger)
        # a window's fetch still waiting when the window ended, and the rewinds as it began
        self._pending: tuple[asyncio.Task, dict] | None = None
        self.kafka_commits = KafkaCommits(consumer)

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
        if self._pending is not None:  # a fetch left by the last window: nobody takes it now
            (fetch, _), self._pending = self._pending, None
            fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)
        await self.kafka_commits.finish()
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
            await self.positions.rewind(partitions)
            ends = await self.consumer.end_offsets(partitions)
            starts = {tp: await self.consumer.position(tp) for tp in partitions}
            if progress is not None:
                progress.total = sum(max(ends[tp] - starts[tp], 0) for tp in partitions)
                progress.refresh()
            done = 0
            # a pending fetch may hold records already past the positions
            while (behind := [tp for tp in partitions if await self.consumer.position(tp) < ends[tp]]) \
                    or self._pending:
                self.consumer.pause(*(tp for tp in partitions if tp not in behind))  # nothing past the end
                batch = await self.poll_once()
                if unsought := self.positions.unsought:  # a rebuild that cannot tell where to go on stops
                    raise RuntimeError(f"could not read the ledger's offsets of {sorted(unsought)}")
                done += batch
                if progress is not None:
                    progress.update(batch)
            return done
        finally:
            await self.stop()

    async def poll_once(self, timeout_ms: int = 200) -> int:
        """Fetch, and when there is something, apply a window starting with it: its count."""
        if self.positions.unsought:
            async with self._applying:
                await self.positions.rewind_or_retry(list(self.positions.unsought))
            if self.positions.unsought:  # the database is likely down: nothing to apply meanwhile
                await asyncio.sleep(1)
                return 0
        if self._pending is not None:
            (fetch, rewinds), self._pending = self._pending, None
            batches = await fetch
        else:
            rewinds = self.positions.snapshot()
            batches = await self.consumer.getmany(timeout_ms=timeout_ms, max_records=self._fetch_size(0))
        if not any(batches.values()):
            return 0
        offsets: dict[TopicPartition, int] = {}
        async with self._applying:
            # the window's own fetches hold the lock, so only this first one can race a rewind
            if not (batches := self.positions.not_rewound(batches, rewinds)):
                return 0
            try:
                with collector.paused():  # ~20 % of a backlog's time otherwise: collector.py
                    count = await self._apply_window(batches, offsets)
            except Exception:
                log.exception("projection window failed; rewinding to the ledger's offsets")
                self.apply.discard()
                await self.positions.rewind_or_retry(list(offsets))
                await asyncio.sleep(1)
                return 0
        self.kafka_commits.soon(offsets)
        return count

    async def _apply_window(self, batches, offsets: dict[TopicPartition, int]) -> int:
        count, fresh = 0, []
        deadline = time.monotonic() + self.window_seconds
        async with self.sessions.begin() as session:
            while True:
                batches = self.positions.unapplied(batches)
                records = [record for batch in batches.values() for record in batch]
                offsets |= {tp: batch[-1].offset + 1 for tp, batch in batches.items()}
                self.positions.applied(offsets)
                count += len(records)
                recorded = await self._fold(session, records)
                fresh += recorded
                self._observe_lag(batches)
                if recorded and (age := (datetime.now(UTC) - min(recorded)).total_seconds()) < self.window_seconds:
                    # live traffic: someone may be waiting for it, so the window does not add a second
                    deadline = min(deadline, time.monotonic() + max(0.0, LIVE_SECONDS - age))
                left = deadline - time.monotonic()
                if self._caught_up(batches) or count >= self.max_records or left <= 0:
                    break
                batches = await self._fetch_within(left, count)
                if not any(batches.values()):
                    break
            await self.apply.flush(session)
            await self.ledger.advance(session, offsets)
        consumed.add(count)
        now = datetime.now(UTC)
        for recorded_at in fresh:
            delay.record((now - recorded_at).total_seconds())
        return count

    async def _fold(self, session: AsyncSession, records) -> list[datetime]:
        """Decode, de-duplicate and fold one fetch; the recording times of what it applied."""
        deliveries = []
        for record in records:
            try:
                deliveries.append(decode(record))
            except Undeliverable as exc:
                # parked before the offsets move past it, so nothing is ever lost
                await self.dead_letters.park(record, str(exc))
                dead_lettered.add(1)
        fresh = await self.ledger.admit(session, deliveries)
        await self.apply.fold(session, fresh)
        duplicates.add(len(deliveries) - len(fresh))
        return [delivery.event.recorded_at for delivery in fresh]

    async def _fetch_within(self, left: float, done: int) -> dict:
        """The window's next fetch, or nothing by its deadline. Once a rebalance has begun,
        aiokafka's getmany waits for the new assignment with no limit, while the revocation
        waits for this window to commit: the deadline breaks that circle. The fetch is left
        running for the next poll, not cancelled: a cancelled getmany leaves aiokafka counting
        a fetch in progress for ever, which turns its max_poll_interval_ms check off."""
        fetch = asyncio.create_task(
            self.consumer.getmany(timeout_ms=int(left * 1000), max_records=self._fetch_size(done)))
        try:  # past the fetch's own timeout: in the usual case it returns by itself
            await asyncio.wait([fetch], timeout=left + FETCH_GRACE_SECONDS)
        except BaseException:  # cancelled (stopping): the fetch with it, not left behind
            fetch.cancel()
            raise
        if fetch.done():
            return fetch.result()
        self._pending = fetch, self.positions.snapshot()  # no rewind yet: the window holds the lock
        return {}

    def _fetch_size(self, done: int) -> int:
        return max(1, min(self.fetch_records, self.max_records - done))

    def _caught_up(self, batches) -> bool:
        """Less than a tenth of a fetch left behind the fetched partitions' high watermarks.
        Not zero: the watermark comes from the newest response, which aiokafka fetched ahead
        while the previous ones were applied, so under live traffic it is always a little
        ahead; in a backlog it is ahead by far more than a fetch."""
        behind = 0
        for tp, batch in batches.items():
            highwater = self.consumer.highwater(tp)
            if batch and highwater is not None:
                behind += highwater - batch[-1].offset - 1
        return behind < self.fetch_records // 10

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
        self.owner.kafka_commits.forget(revoked)
        self.owner.positions.revoked(revoked)

    async def on_partitions_assigned(self, assigned) -> None:
        # not beside a window: one that committed between the ledger's read and the seek
        # would be applied again from the older offset
        async with self.owner._applying:
            await self.owner.positions.rewind_or_retry(list(assigned))
