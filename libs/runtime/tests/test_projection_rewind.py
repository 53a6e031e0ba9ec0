"""Which fetched records a projection window applies around rewinds (assignments, revocations):
each record once, from where the ledger says, with fakes for Kafka and the database.

Unreadable records make what is applied visible: each one applied is parked once."""

import asyncio
import contextlib
from types import SimpleNamespace

from aiokafka import TopicPartition

from iq_runtime.projection import ProjectionConsumer, _ResumeFromLedger

TP = TopicPartition("iq.counselling.v1", 0)


def unreadable(offset: int):
    return SimpleNamespace(topic=TP.topic, partition=TP.partition, offset=offset, key=None,
                           value=b"not json", headers=[])


class FakeConsumer:
    """Hands out the fetches it is given, one per getmany, as aiokafka would after seeks."""

    def __init__(self, *fetches: list) -> None:
        self.fetches = list(fetches)
        self.sought: list[int] = []

    async def getmany(self, timeout_ms: int, max_records: int) -> dict:
        return {TP: self.fetches.pop(0)} if self.fetches else {}

    async def beginning_offsets(self, partitions) -> dict:
        return {tp: 0 for tp in partitions}

    def seek(self, tp, offset: int) -> None:
        self.sought.append(offset)

    def highwater(self, tp) -> None:
        return None

    async def commit(self, offsets) -> None:
        pass


class FakeLedger:
    def __init__(self, stored: dict | None = None) -> None:
        self.stored = dict(stored or {})
        self.read = asyncio.Event()  # set once the offsets were read

    async def offsets(self, session, partitions) -> dict:
        self.read.set()
        return {tp: self.stored[tp] for tp in partitions if tp in self.stored}

    async def admit(self, session, deliveries) -> list:
        return deliveries

    async def advance(self, session, next_offsets) -> None:
        self.stored |= next_offsets


class FakeDeadLetters:
    def __init__(self) -> None:
        self.parked: list[int] = []
        self.go_on = asyncio.Event()
        self.go_on.set()

    async def park(self, record, reason: str) -> None:
        self.parked.append(record.offset)
        await self.go_on.wait()


class Projection:
    async def fold(self, session, deliveries) -> None:
        pass

    async def flush(self, session) -> None:
        pass

    def discard(self) -> None:
        pass


class NoTransaction(contextlib.AbstractAsyncContextManager):
    async def __aexit__(self, *exc) -> None:
        return None


class Sessions:
    """An async_sessionmaker whose sessions and transactions are nothing (the fakes need none)."""

    def __call__(self) -> NoTransaction:
        return NoTransaction()

    def begin(self) -> NoTransaction:
        return NoTransaction()


def owner(consumer: FakeConsumer, ledger: FakeLedger, dead_letters: FakeDeadLetters) -> ProjectionConsumer:
    return ProjectionConsumer(consumer=consumer, topics=[TP.topic], sessions=Sessions(), ledger=ledger,
                              apply=Projection(), dead_letters=dead_letters)


async def test_records_fetched_again_after_a_rewind_to_the_beginning_are_not_applied_twice():
    # the fetch that was under way when the partition was assigned, then the same records again
    # from the beginning the rewind sought to: the first copy is applied, the second dropped
    consumer, ledger, parked = FakeConsumer([unreadable(0), unreadable(1)], [unreadable(0), unreadable(1)],
                                            [unreadable(2)]), FakeLedger(), FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    await _ResumeFromLedger(projection).on_partitions_assigned([TP])
    for _ in range(3):
        await projection.poll_once()
    assert parked.parked == [0, 1, 2]
    assert ledger.stored == {TP: 3}


async def test_an_assignment_waits_for_the_window_in_flight_and_resumes_after_it():
    # a window that commits between the rewind's reading of the ledger and its seek would be
    # applied again from the older offset: the rewind waits for it
    consumer, ledger, parked = FakeConsumer([unreadable(0)]), FakeLedger(), FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    projection._next[TP] = 0
    parked.go_on.clear()
    window = asyncio.create_task(projection.poll_once())
    while not parked.parked:
        await asyncio.sleep(0)
    assignment = asyncio.create_task(_ResumeFromLedger(projection).on_partitions_assigned([TP]))
    await asyncio.sleep(0.05)
    assert not ledger.read.is_set()  # the window still holds the partition
    parked.go_on.set()
    await asyncio.gather(window, assignment)
    assert consumer.sought == [1] and ledger.stored == {TP: 1}


async def test_a_fetch_from_before_another_member_went_further_does_not_move_the_ledger_back():
    consumer, ledger, parked = FakeConsumer([unreadable(100), unreadable(101)]), FakeLedger({TP: 500}), \
        FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    await _ResumeFromLedger(projection).on_partitions_assigned([TP])
    await projection.poll_once()
    assert parked.parked == [] and ledger.stored == {TP: 500} and consumer.sought == [500]


async def test_a_revoked_partition_is_not_applied_until_assigned_again():
    consumer, ledger, parked = FakeConsumer([unreadable(7)], [unreadable(7)]), FakeLedger({TP: 7}), \
        FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    await _ResumeFromLedger(projection).on_partitions_assigned([TP])
    await _ResumeFromLedger(projection).on_partitions_revoked([TP])
    await projection.poll_once()  # a fetch from before the revocation
    assert parked.parked == []
    await _ResumeFromLedger(projection).on_partitions_assigned([TP])
    await projection.poll_once()
    assert parked.parked == [7] and ledger.stored == {TP: 8}
