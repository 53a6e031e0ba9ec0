"""The projection's informational offset commits to Kafka (the ledger is the truth): what they
must never do, with a fake consumer (no broker)."""

import asyncio

from aiokafka import TopicPartition

from iq_runtime.projection import ProjectionConsumer, _ResumeFromLedger

ONE, TWO = TopicPartition("iq.counselling.v1", 0), TopicPartition("iq.counselling.v1", 1)


class FakeConsumer:
    def __init__(self, answers: bool = True) -> None:
        self.answers = answers
        self.commits: list[dict] = []
        self.stopped = False

    async def commit(self, offsets) -> None:
        if not self.answers:
            await asyncio.Event().wait()  # a coordinator that never answers
        self.commits.append(dict(offsets))

    async def stop(self) -> None:
        self.stopped = True


def projection(consumer: FakeConsumer) -> ProjectionConsumer:
    return ProjectionConsumer(consumer=consumer, topics=[], sessions=None, ledger=None, apply=None,
                              dead_letters=None)


async def test_offsets_of_windows_before_a_commit_leaves_go_in_one_commit_the_newest_for_each_partition():
    consumer = FakeConsumer()
    owner = projection(consumer)
    owner.kafka_commits.soon({ONE: 5})
    owner.kafka_commits.soon({ONE: 9, TWO: 3})  # before the task got its turn
    await owner.stop()
    assert consumer.commits == [{ONE: 9, TWO: 3}]


async def test_a_revoked_partition_is_not_committed_afterwards():
    consumer = FakeConsumer()
    owner = projection(consumer)
    owner.kafka_commits.waiting = {ONE: 5, TWO: 7}  # waiting for the commit in flight
    await _ResumeFromLedger(owner).on_partitions_revoked([ONE])
    assert owner.kafka_commits.waiting == {TWO: 7}


async def test_stop_gives_up_on_a_commit_that_is_never_answered():
    consumer = FakeConsumer(answers=False)
    owner = projection(consumer)
    owner.kafka_commits.grace_seconds = 0.05
    owner.kafka_commits.soon({ONE: 5})
    await asyncio.wait_for(owner.stop(), timeout=5)
    assert consumer.stopped
    assert owner.kafka_commits.committing.cancelled()
