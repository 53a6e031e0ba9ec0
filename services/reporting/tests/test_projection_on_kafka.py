"""The projection consumer against the real broker and a real database: exact figures under
redelivery, restarts and malformed input."""

from datetime import date

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select

from iq_contracts import topics
from iq_contracts.envelope import envelope_for
from iq_reporting.bootstrap import MIGRATIONS, Settings, projection_consumer
from iq_reporting.figures import sheet
from iq_reporting.periods import Period
from iq_reporting.store import PROJECTION, applied_events, partition_offsets
from iq_runtime.broker import ensure_topics
from iq_runtime.migrations import upgrade
from iq_runtime.service import connect
from tests.factories import advice_given
from tests.kafka_helpers import eventually, fast_group, produce, produce_raw, read_all

pytestmark = pytest.mark.kafka

YEAR_2019 = Period(date(2019, 1, 1), date(2019, 12, 31))


@pytest.fixture
async def runtime(kafka, database_url):
    upgrade(MIGRATIONS, database_url)
    await ensure_topics(kafka, list(topics.ALL), {})
    runtime = connect(Settings(database_url=database_url, kafka=fast_group(kafka)))
    await runtime.broker.start()
    yield runtime
    await runtime.broker.stop()
    await runtime.engine.dispose()


async def initial_sessions(runtime) -> int:
    async with runtime.sessions() as session:
        return (await sheet(session, YEAR_2019, date(2020, 2, 20), None)).counselling.initial_advice_sessions


async def applied(runtime) -> int:
    async with runtime.sessions() as session:
        return await session.scalar(select(func.count()).select_from(applied_events))


async def consume_until(runtime, expected_applied: int, consumer=None):
    async def caught_up():
        return await applied(runtime) >= expected_applied
    await poll_until(runtime, caught_up, consumer)
    assert await caught_up(), f"only {await applied(runtime)} of {expected_applied} applied"


async def poll_until(runtime, done, consumer=None) -> None:
    """Poll until `done()` holds (or time runs out), then stop the consumer at once."""
    consumer = consumer or projection_consumer(runtime)
    await consumer.start()
    try:
        async def polled():
            await consumer.poll_once()
            return await done()
        await eventually(polled)
    finally:
        await consumer.stop()


async def test_events_on_kafka_become_figures(runtime, kafka):
    await produce(kafka, [advice_given(kind="recognition"), advice_given(kind="job_training"),
                          advice_given(session_type="follow_up")])
    await consume_until(runtime, 3)
    async with runtime.sessions() as session:
        figures = await sheet(session, YEAR_2019, date(2020, 2, 20), None)
    assert figures.counselling.initial_advice_sessions == 2
    assert figures.counselling.initial_advice_by_kind["job_training"] == 1


async def test_redelivered_events_do_not_change_a_figure(runtime, kafka):
    events = [advice_given() for _ in range(5)]
    await produce(kafka, events)
    await consume_until(runtime, 5)
    await produce(kafka, events)  # a replay or a producer retry: the same event ids again
    await produce(kafka, [advice_given()])
    await consume_until(runtime, 6)
    assert await initial_sessions(runtime) == 6


async def test_a_fetch_of_nothing_but_redelivered_events_moves_the_partitions_on(runtime, kafka):
    """The same events again with nothing new among them (a replay, a redelivery after a
    rebalance): the window applies nothing and still advances the offsets past them."""
    events = [advice_given() for _ in range(5)]
    await produce(kafka, events)
    await consume_until(runtime, 5)
    await produce(kafka, events)

    async def past_the_copies():
        return await next_offsets(runtime) == 10
    await poll_until(runtime, past_the_copies)
    assert await past_the_copies(), f"offsets stuck at {await next_offsets(runtime)} of 10"
    assert await applied(runtime) == 5
    assert await initial_sessions(runtime) == 5


async def test_kafka_learns_the_committed_offsets_too_for_standard_lag_tools(runtime, kafka):
    await produce(kafka, [advice_given() for _ in range(7)])
    await consume_until(runtime, 7)  # stops right after the last window: its offsets still go to Kafka
    async with runtime.sessions() as session:
        ledger = {(topic, partition): offset for topic, partition, offset in await session.execute(
            select(partition_offsets.c.topic, partition_offsets.c.partition, partition_offsets.c.next_offset))}
    group = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=runtime.settings.consumer_group,
                             enable_auto_commit=False)
    await group.start()
    try:
        in_kafka = {(topic, partition): await group.committed(TopicPartition(topic, partition))
                    for topic, partition in ledger}
    finally:
        await group.stop()
    assert sum(ledger.values()) == 7
    assert in_kafka == ledger


async def next_offsets(runtime) -> int:
    async with runtime.sessions() as session:
        return await session.scalar(select(func.coalesce(func.sum(partition_offsets.c.next_offset), 0)))


async def test_a_restarted_consumer_resumes_exactly_where_it_committed(runtime, kafka):
    await produce(kafka, [advice_given() for _ in range(20)])
    first = projection_consumer(runtime)
    first.max_records = 3
    await consume_until(runtime, 1, consumer=first)  # stops mid-stream after a few batches
    done_before_restart = await applied(runtime)
    assert 0 < done_before_restart < 20

    await consume_until(runtime, 20)
    assert await initial_sessions(runtime) == 20


async def test_the_database_not_kafka_decides_where_to_resume(runtime, kafka):
    """A projection rebuilt from an empty database reads from the beginning, even though
    the consumer group has offsets committed in Kafka."""
    await produce(kafka, [advice_given() for _ in range(4)])
    await consume_until(runtime, 4)
    async with runtime.engine.begin() as connection:
        for table in (*PROJECTION, applied_events, partition_offsets):  # as an empty database
            await connection.exec_driver_sql(f"DELETE FROM {table.name}")
    await consume_until(runtime, 4)
    assert await initial_sessions(runtime) == 4


@pytest.mark.parametrize(
    ("value", "headers", "reason"),
    [
        (b"not json", "valid", "body"),
        (b"{}", "valid", "session_id"),
        (b"{}", [("ce_specversion", b"1.0"), ("ce_type", b"de.netzwerk-iq.counselling.Unheard.v1")], "ce_"),
        (b"{}", [], "ce_specversion"),
    ],
    ids=["malformed-json", "missing-fields", "unknown-type", "no-envelope"],
)
async def test_an_unreadable_event_is_dead_lettered_and_the_partition_moves_on(runtime, kafka, value, headers, reason):
    good = advice_given()
    if headers == "valid":
        headers = envelope_for(advice_given(), "counselling").kafka_headers()
    key = good.aggregate_id.encode()  # same key: same partition, before the good event
    await produce_raw(kafka, topics.COUNSELLING, value, headers, key=key)
    await produce(kafka, [good])

    await consume_until(runtime, 1)
    assert await initial_sessions(runtime) == 1

    [parked] = await read_all(kafka, topics.dead_letter_topic(runtime.settings.consumer_group), expected=1)
    parked_headers = dict(parked.headers)
    assert parked.value == value
    assert reason in parked_headers["iq_dlq_reason"].decode()
    assert parked_headers["iq_dlq_topic"] == topics.COUNSELLING.encode()


async def test_consumers_of_one_group_share_the_partitions(runtime, kafka):
    await produce(kafka, [advice_given() for _ in range(30)])
    one, two = projection_consumer(runtime), projection_consumer(runtime)
    await one.start()
    await two.start()
    try:
        async def caught_up():
            await one.poll_once(100)
            await two.poll_once(100)
            return await applied(runtime) >= 30
        assert await eventually(caught_up, timeout=30)
        assert one.consumer.assignment().isdisjoint(two.consumer.assignment())
    finally:
        await one.stop()
        await two.stop()
    assert await initial_sessions(runtime) == 30


