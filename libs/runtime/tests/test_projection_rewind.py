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
    """Hands out the fetches it is given, one per getmany, as aiokafka would after seeks.
    `during_fetch` runs inside the next getmany: a rebalance landing while a fetch is under way."""

    def __init__(self, *fetches: list) -> None:
        self.fetches = list(fetches)
        self.sought: list[int] = []
        self.during_fetch = None

    async def getmany(self, timeout_ms: int, max_records: int) -> dict:
        if self.during_fetch is not None:
            during, self.during_fetch = self.during_fetch, None
            await during()
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


async def test_a_fetch_under_way_when_the_partition_is_rewound_to_where_it_began_is_applied_once():
    # the fetch from Kafka's own reset (the beginning) is in hand when the assignment's rewind
    # seeks to the beginning too: those records come again from there, and count once
    consumer, ledger, parked = FakeConsumer([unreadable(0), unreadable(1)], [unreadable(0), unreadable(1)],
                                            [unreadable(2)]), FakeLedger(), FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    consumer.during_fetch = lambda: _ResumeFromLedger(projection).on_partitions_assigned([TP])
    for _ in range(3):
        await projection.poll_once()
    assert parked.parked == [0, 1, 2]
    assert ledger.stored == {TP: 3}


async def test_a_fetch_under_way_from_ahead_of_the_rewind_skips_nothing():
    # Kafka's committed offset (5) ahead of the ledger (empty, e.g. after an interrupted rebuild):
    # the fetch from 5 is in hand when the rewind seeks to the beginning; 0-4 must not be lost
    consumer, ledger, parked = FakeConsumer([unreadable(5), unreadable(6)],
                                            [unreadable(offset) for offset in range(7)]), FakeLedger(), \
        FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    consumer.during_fetch = lambda: _ResumeFromLedger(projection).on_partitions_assigned([TP])
    for _ in range(2):
        await projection.poll_once()
    assert parked.parked == list(range(7))
    assert ledger.stored == {TP: 7} and consumer.sought == [0, 0]  # sought again after the drop


async def test_an_assignment_waits_for_the_window_in_flight_and_resumes_after_it():
    # a window that commits between the rewind's reading of the ledger and its seek would be
    # applied again from the older offset: the rewind waits for it
    consumer, ledger, parked = FakeConsumer([unreadable(0)]), FakeLedger(), FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
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
