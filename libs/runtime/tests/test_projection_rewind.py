"""Which fetched records a projection window applies around rewinds (assignments, revocations):
each record once, from where the ledger says, with fakes for Kafka and the database.

Unreadable records make what is applied visible: each one applied is parked once."""

import asyncio
import contextlib
from types import SimpleNamespace

import pytest
from aiokafka import TopicPartition

from iq_runtime.projection import ProjectionConsumer, _ResumeFromLedger

TP = TopicPartition("iq.counselling.v1", 0)


def unreadable(offset: int):
    return SimpleNamespace(topic=TP.topic, partition=TP.partition, offset=offset, key=None,
                           value=b"not json", headers=[])


class FakeConsumer:
    """Hands out the fetches it is given, one per getmany, as aiokafka would after seeks.
    `during_fetch[n]` runs inside the n-th getmany (from 0): a rebalance landing while a fetch
    is under way. `behind` is how far the high watermark is ahead of the last record fetched."""

    def __init__(self, *fetches: list, behind: int | None = None) -> None:
        self.fetches = list(fetches)
        self.sought: list[int] = []
        self.during_fetch: dict = {}
        self.getmanys = 0
        self.behind = behind
        self.last = -1
        self.cancelled = 0  # aiokafka's fetch count goes wrong when a getmany is cancelled
        self.at = 0  # the position: after the last record fetched, or where sought

    async def getmany(self, timeout_ms: int, max_records: int) -> dict:
        self.getmanys += 1
        if during := self.during_fetch.pop(self.getmanys - 1, None):
            try:
                await during()
            except asyncio.CancelledError:
                self.cancelled += 1
                raise
        if not self.fetches:
            return {}
        fetch = self.fetches.pop(0)
        self.last = fetch[-1].offset
        self.at = self.last + 1
        return {TP: fetch}

    async def beginning_offsets(self, partitions) -> dict:
        return {tp: 0 for tp in partitions}

    def seek(self, tp, offset: int) -> None:
        self.sought.append(offset)
        self.at = offset

    def highwater(self, tp) -> int | None:
        return None if self.behind is None else self.last + 1 + self.behind

    async def commit(self, offsets) -> None:
        pass

    async def stop(self) -> None:
        pass


class FakeLedger:
    def __init__(self, stored: dict | None = None, failing_reads: int = 0, working_reads: int | None = None) -> None:
        self.stored = dict(stored or {})
        self.read = asyncio.Event()  # set once the offsets were read
        self.failing_reads = failing_reads  # the first ones fail
        self.working_reads = working_reads  # all after these fail

    async def offsets(self, session, partitions) -> dict:
        if self.failing_reads or self.working_reads == 0:
            self.failing_reads = max(0, self.failing_reads - 1)
            raise ConnectionError("the database is not there")
        if self.working_reads:
            self.working_reads -= 1
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


def owner(consumer: FakeConsumer, ledger: FakeLedger, dead_letters: FakeDeadLetters,
          **settings) -> ProjectionConsumer:
    return ProjectionConsumer(consumer=consumer, topics=[TP.topic], sessions=Sessions(), ledger=ledger,
                              apply=Projection(), dead_letters=dead_letters, **settings)


async def test_a_fetch_under_way_when_the_partition_is_rewound_to_where_it_began_is_applied_once():
    # the fetch from Kafka's own reset (the beginning) is in hand when the assignment's rewind
    # seeks to the beginning too: those records come again from there, and count once
    consumer, ledger, parked = FakeConsumer([unreadable(0), unreadable(1)], [unreadable(0), unreadable(1)],
                                            [unreadable(2)]), FakeLedger(), FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    consumer.during_fetch[0] = lambda: _ResumeFromLedger(projection).on_partitions_assigned([TP])
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
    consumer.during_fetch[0] = lambda: _ResumeFromLedger(projection).on_partitions_assigned([TP])
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


async def test_a_rebalance_beginning_during_a_window_ends_the_window_instead_of_waiting_for_it():
    # once a rebalance has begun, aiokafka's getmany waits for the new assignment with no limit,
    # and the revocation before that assignment waits for the window: the window must end itself
    # the fetch left waiting brings 1 from before the rebalance's seek, and the seek brings it again
    consumer, ledger, parked = FakeConsumer([unreadable(0)], [unreadable(1)], [unreadable(1)], behind=1000), \
        FakeLedger(), FakeDeadLetters()
    projection = owner(consumer, ledger, parked, window_seconds=0.3)
    listener, assigned = _ResumeFromLedger(projection), asyncio.Event()
    await listener.on_partitions_assigned([TP])

    async def rebalance() -> None:
        await listener.on_partitions_revoked([TP])
        await listener.on_partitions_assigned([TP])
        assigned.set()

    async def wait_for_assignment() -> None:
        rebalancing = asyncio.create_task(rebalance())
        await assigned.wait()
        await rebalancing

    consumer.during_fetch[1] = wait_for_assignment  # the window's second fetch
    await asyncio.wait_for(projection.poll_once(), timeout=5)
    await asyncio.wait_for(assigned.wait(), timeout=5)
    assert parked.parked == [0] and ledger.stored == {TP: 1} and consumer.sought == [0, 1]
    for _ in range(2):
        await projection.poll_once()
    assert parked.parked == [0, 1] and ledger.stored == {TP: 2} and consumer.sought == [0, 1, 1]
    assert consumer.cancelled == 0


async def test_a_partition_whose_rewind_failed_applies_nothing_until_a_later_poll_rewinds_it():
    # Kafka has the partition at 3 (ahead of the ledger, which knows nothing): without the
    # ledger's answer, 3 would be applied and 0-2 never
    consumer, ledger, parked = FakeConsumer([unreadable(offset) for offset in range(4)]), \
        FakeLedger(failing_reads=2), FakeDeadLetters()
    projection = owner(consumer, ledger, parked)
    await _ResumeFromLedger(projection).on_partitions_assigned([TP])  # logs the error, raises none
    await projection.poll_once()  # the ledger still fails: nothing fetched, nothing applied
    assert parked.parked == [] and consumer.sought == [] and consumer.getmanys == 0
    await projection.poll_once()  # now it answers: rewound before the fetch
    assert parked.parked == [0, 1, 2, 3] and ledger.stored == {TP: 4} and consumer.sought == [0]


async def test_stopping_cancels_a_fetch_the_last_window_left_waiting():
    consumer, ledger, parked = FakeConsumer([unreadable(0)], behind=1000), FakeLedger(), FakeDeadLetters()
    projection = owner(consumer, ledger, parked, window_seconds=0.1)
    await _ResumeFromLedger(projection).on_partitions_assigned([TP])
    consumer.during_fetch[1] = asyncio.Event().wait  # a rebalance that never ends
    await asyncio.wait_for(projection.poll_once(), timeout=5)
    assert ledger.stored == {TP: 1} and consumer.cancelled == 0  # committed, the fetch left waiting
    await projection.stop()
    assert consumer.cancelled == 1


class FailingOnce(Projection):
    """A projection whose first fold or first flush (`at`) fails: a failed window."""

    def __init__(self, at: str) -> None:
        self.failing = {at}

    def _fail_once(self, step: str) -> None:
        if step in self.failing:
            self.failing.discard(step)
            raise RuntimeError(f"the window fails in {step}")

    async def fold(self, session, deliveries) -> None:
        self._fail_once("fold")

    async def flush(self, session) -> None:
        self._fail_once("flush")


async def test_a_fetch_left_waiting_by_a_window_that_then_failed_is_dropped_and_its_partition_read_again():
    # the failed window's records are not committed and its partition is rewound; the fetch it
    # left waiting comes from after them, and applying it would skip them
    consumer = FakeConsumer([unreadable(0)], [unreadable(1)], [unreadable(0), unreadable(1)], behind=1000)
    ledger, parked, released = FakeLedger(), FakeDeadLetters(), asyncio.Event()
    projection = ProjectionConsumer(consumer=consumer, topics=[TP.topic], sessions=Sessions(), ledger=ledger,
                                    apply=FailingOnce(at="flush"), dead_letters=parked, window_seconds=0.1)
    await _ResumeFromLedger(projection).on_partitions_assigned([TP])
    consumer.during_fetch[1] = released.wait
    await asyncio.wait_for(projection.poll_once(), timeout=5)  # fails, rewinds to the beginning
    assert ledger.stored == {} and consumer.sought == [0, 0]
    released.set()
    for _ in range(2):
        await asyncio.wait_for(projection.poll_once(), timeout=5)
    # 0 parked twice: once by the failed window (dead letters are sent at once), once again after it
    assert parked.parked == [0, 0, 1] and ledger.stored == {TP: 2} and consumer.sought == [0, 0, 0]


class AssignedConsumer(FakeConsumer):
    """What a rebuild (catch_up) asks of the consumer besides fetches: one partition, its end."""

    def __init__(self, *fetches: list, end: int) -> None:
        super().__init__(*fetches)
        self.end = end

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def topics(self) -> set:
        return {TP.topic}

    def partitions_for_topic(self, topic: str) -> set:
        return {TP.partition}

    def assign(self, partitions) -> None:
        pass

    def pause(self, *partitions) -> None:
        pass

    async def end_offsets(self, partitions) -> dict:
        return {TP: self.end}

    async def position(self, tp) -> int:
        return self.at


async def test_a_rebuild_that_cannot_read_the_ledger_after_a_failed_window_stops_with_an_error():
    # the failed window's rewind cannot read the ledger: going on would drop the partition's
    # records up to its end and report the rebuild done with them missing
    consumer = AssignedConsumer([unreadable(0)], [unreadable(1), unreadable(2)], end=3)
    projection = ProjectionConsumer(consumer=consumer, topics=[TP.topic], sessions=Sessions(),
                                    ledger=FakeLedger(working_reads=1),  # the rebuild's first read only
                                    apply=FailingOnce(at="fold"), dead_letters=FakeDeadLetters())
    with pytest.raises(RuntimeError, match="could not read the ledger's offsets"):
        await asyncio.wait_for(projection.catch_up(), timeout=10)
