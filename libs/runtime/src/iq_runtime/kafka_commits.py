"""A projection's offsets committed to Kafka, for information only: the projection's ledger is
the truth, and Kafka's copy is there so that lag shows in standard tools."""

import asyncio
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition

log = logging.getLogger(__name__)


class KafkaCommits:
    """Beside the next window, not before it: a round trip to the group coordinator per window
    would delay every live event behind it. One commit at a time; offsets that arrive
    meanwhile go in the next one, the newest per partition."""

    grace_seconds = 5.0  # on finish, for the offsets still on their way

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer
        self.waiting: dict[TopicPartition, int] = {}
        self.committing: asyncio.Task | None = None

    def soon(self, offsets: dict[TopicPartition, int]) -> None:
        self.waiting |= offsets
        if self.committing is None or self.committing.done():
            self.committing = asyncio.create_task(self._commit())

    def forget(self, partitions) -> None:
        """Revoked partitions: no longer ours, and their commit would fail the others' with it."""
        for tp in partitions:
            self.waiting.pop(tp, None)

    async def finish(self) -> None:
        """The last offsets go to Kafka, if it answers within the grace period."""
        if self.committing is None:
            return
        _, unfinished = await asyncio.wait([self.committing], timeout=self.grace_seconds)
        for commit in unfinished:  # aiokafka would retry it for ever under a closed consumer
            commit.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)

    async def _commit(self) -> None:
        while self.waiting:
            offsets, self.waiting = self.waiting, {}
            try:
                await self.consumer.commit(offsets)
            except Exception as exc:
                log.debug("kafka offset commit skipped: %s", exc)
