"""The garbage collector is off while a projection window is open, and only then."""

import asyncio
import gc
import threading
from contextlib import asynccontextmanager

import pytest
from aiokafka import ConsumerRecord, TopicPartition

from iq_contracts.envelope import envelope_for
from iq_runtime import collector
from iq_runtime.projection import ProjectionConsumer
from tests.factories import advice_given


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_inside_and_on_again_after():
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_a_window_that_raised():
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("the window failed")
    assert gc.isenabled()


def test_left_off_when_it_was_off_before():
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_stays_off_until_the_last_of_two_threads_closes_its_window():
    first_open, second_open, first_closed = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first() -> None:
        with collector.paused():
            first_open.set()
            second_open.wait(5)
        first_closed.set()

    def second() -> None:
        first_open.wait(5)
        with collector.paused():
            second_open.set()
            first_closed.wait(5)
            seen["after the first closed"] = gc.isenabled()
        seen["after both closed"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert seen == {"after the first closed": False, "after both closed": True}


class Fetches:
    """A consumer that hands out one fetch of `records`, then nothing."""

    def __init__(self, records: list[ConsumerRecord]) -> None:
        self.fetches = [{TopicPartition("iq.counselling.v1", 0): records}]

    async def getmany(self, timeout_ms: int, max_records: int) -> dict:
        return self.fetches.pop(0) if self.fetches else {}

    def highwater(self, tp: TopicPartition) -> int:
        return 1

    async def commit(self, offsets) -> None:
        pass


class Watching:
    """A projection and ledger that note whether the collector ran during each step."""

    def __init__(self) -> None:
        self.collector_on: dict[str, bool] = {}

    async def admit(self, session, deliveries):
        self.collector_on["admit"] = gc.isenabled()
        return deliveries

    async def fold(self, session, deliveries) -> None:
        self.collector_on["fold"] = gc.isenabled()

    async def flush(self, session) -> None:
        self.collector_on["flush"] = gc.isenabled()

    async def advance(self, session, offsets) -> None:
        self.collector_on["advance"] = gc.isenabled()

    def discard(self) -> None:
        pass


@asynccontextmanager
async def transaction():
    yield None


class Sessions:
    def begin(self):
        return transaction()


async def test_a_projection_window_is_folded_and_written_with_the_collector_off():
    event = advice_given()
    body = event.model_dump_json().encode()
    record = ConsumerRecord(topic="iq.counselling.v1", partition=0, offset=0, timestamp=0, timestamp_type=0,
                            key=b"k", value=body, checksum=None, serialized_key_size=1,
                            serialized_value_size=len(body),
                            headers=envelope_for(event, "counselling").kafka_headers())
    watching = Watching()
    consumer = ProjectionConsumer(consumer=Fetches([record]), topics=[], sessions=Sessions(), ledger=watching,
                                  apply=watching, dead_letters=None)
    assert await consumer.poll_once() == 1
    assert watching.collector_on == {"admit": False, "fold": False, "flush": False, "advance": False}
    assert gc.isenabled()
    await asyncio.sleep(0)  # the informational Kafka commit
