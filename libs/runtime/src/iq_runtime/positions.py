"""Where each partition of a projection stands, and which fetched records a window may apply.

The ledger, not Kafka, says where a partition goes on. A rewind seeks the partition to the
ledger's offset (on assignment, after a failed window); every partition keeps the offset the
next record applied must have at least (`next`), and a count of its rewinds, so that a fetch
that was under way across a rewind can be recognised and dropped."""

import logging
import math

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy.ext.asyncio import async_sessionmaker

from .ledger import Ledger

log = logging.getLogger(__name__)


class Positions:
    def __init__(self, consumer: AIOKafkaConsumer, sessions: async_sessionmaker, ledger: Ledger) -> None:
        self.consumer = consumer
        self.sessions = sessions
        self.ledger = ledger
        self.next: dict[TopicPartition, float] = {}  # math.inf: apply nothing of it (see rewind)
        self.rewinds: dict[TopicPartition, int] = {}
        self.unsought: set[TopicPartition] = set()  # rewinds that failed: every poll tries again

    def snapshot(self) -> dict[TopicPartition, int]:
        """The rewinds so far: taken as a fetch begins, for `not_rewound`."""
        return dict(self.rewinds)

    async def rewind(self, partitions: list[TopicPartition]) -> None:
        """Seek to the ledger's offsets. Until that has worked the partitions apply nothing:
        after a failed read of the ledger they would otherwise go on from wherever Kafka has
        them, which may be ahead of the ledger (records skipped)."""
        for tp in partitions:
            self.next[tp] = math.inf
            self.rewinds[tp] = self.rewinds.get(tp, 0) + 1
        self.unsought.update(partitions)
        async with self.sessions() as session:
            stored = await self.ledger.offsets(session, partitions)
        # where the ledger knows nothing: the beginning, looked up and sought at once.
        # seek_to_beginning only asks the fetcher to reset, later: a fetch already under way
        # was delivered first, and its records came again after the reset (seen as every
        # unreadable record of a new projection parked twice).
        unknown = [tp for tp in partitions if tp not in stored]
        beginnings = await self.consumer.beginning_offsets(unknown) if unknown else {}
        for tp in partitions:
            target = stored[tp] if tp in stored else beginnings[tp]
            self.consumer.seek(tp, target)
            self.next[tp] = target
        self.unsought.difference_update(partitions)

    async def rewind_or_retry(self, partitions: list[TopicPartition]) -> None:
        try:
            await self.rewind(partitions)
        except Exception:
            log.exception("could not read where to resume %s; the next poll tries again", partitions)

    def revoked(self, partitions) -> None:
        for tp in partitions:
            self.next[tp] = math.inf  # no longer ours to apply, until assigned again
            self.unsought.discard(tp)  # nor to seek

    def applied(self, offsets: dict[TopicPartition, int]) -> None:
        self.next |= offsets

    def not_rewound(self, batches: dict, snapshot: dict) -> dict:
        """The fetch without the partitions rewound while it was under way. Their records may
        come from before the seek, from behind the new position (applied again) or ahead of it
        (what lies between would be skipped). Such a partition is sought again to where the
        rewind put it: nothing of it has been applied since, and its records come again."""
        kept = {}
        for tp, batch in batches.items():
            if self.rewinds.get(tp, 0) != snapshot.get(tp, 0):
                if math.isfinite(self.next[tp]):  # not revoked since, nor waiting for a retry
                    self.consumer.seek(tp, self.next[tp])
            elif batch:
                kept[tp] = batch
        return kept

    def unapplied(self, batches: dict) -> dict:
        """The records at or after each partition's next offset: none of a revoked partition
        until it is assigned again, and none applied before."""
        kept = {}
        for tp, batch in batches.items():
            start = self.next.get(tp, 0)
            if batch and batch[0].offset >= start:  # the usual case: a batch's offsets only grow
                kept[tp] = batch
            elif fresh := [record for record in batch if record.offset >= start]:
                kept[tp] = fresh
        return kept
