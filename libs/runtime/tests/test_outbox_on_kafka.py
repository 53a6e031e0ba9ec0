"""The outbox and its relay against the real broker and a real database."""

import json

import pytest
from opentelemetry import trace
from sqlalchemy import MetaData, select

from iq_runtime.broker import create_broker
from iq_runtime.database import create_engine, session_factory
from iq_runtime.outbox import Outbox, OutboxRelay, outbox_table, replay
from iq_runtime.settings import KafkaSettings
from iq_runtime.unit_of_work import UnitOfWork
from tests.factories import advice_given, scheme_completed, scheme_started
from tests.kafka_helpers import read_all

pytestmark = pytest.mark.kafka


@pytest.fixture
async def outbox_db(database_url):
    metadata = MetaData()
    table = outbox_table(metadata)
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield session_factory(engine), table
    await engine.dispose()


@pytest.fixture
async def broker(kafka):
    broker = create_broker(KafkaSettings(), kafka, client_id="iq-test")
    await broker.start()
    yield broker
    await broker.stop()


async def record(sessions, table, *events, service="counselling"):
    async with UnitOfWork(sessions, Outbox(table, service), on_commit=lambda: None) as uow:
        uow.publish(*events)
        await uow.commit()


async def test_committed_events_reach_kafka_with_key_and_cloudevents_headers(outbox_db, broker, kafka):
    sessions, table = outbox_db
    event = advice_given()
    with trace.get_tracer("test").start_as_current_span("POST /v1/advice-sessions") as request_span:
        await record(sessions, table, event)

    assert await OutboxRelay(sessions, table, broker).publish_pending() == 1

    [message] = await read_all(kafka, "iq.counselling.v1", expected=1)
    headers = dict(message.headers)
    assert message.key == str(event.session_id).encode()
    assert json.loads(message.value) == json.loads(event.model_dump_json())
    assert headers["ce_type"] == b"de.netzwerk-iq.counselling.AdviceGiven.v1"
    assert headers["ce_id"] == str(event.event_id).encode()
    assert headers["ce_source"] == b"/iq/DE-NW/counselling"
    assert headers["content-type"] == b"application/json"
    # the relay continued the request's trace: the same trace id travels with the event
    trace_id = format(request_span.get_span_context().trace_id, "032x")
    assert headers["traceparent"].decode().split("-")[1] == trace_id


async def test_published_rows_are_marked_and_not_sent_twice(outbox_db, broker):
    sessions, table = outbox_db
    await record(sessions, table, advice_given(), advice_given())
    relay = OutboxRelay(sessions, table, broker)
    assert await relay.publish_pending() == 2
    assert await relay.publish_pending() == 0
    assert await relay.backlog() == 0


async def test_events_of_one_record_keep_their_order(outbox_db, broker, kafka):
    sessions, table = outbox_db
    started = scheme_started()
    completed = scheme_completed(enrolment_id=started.enrolment_id)
    await record(sessions, table, started, service="training")
    await record(sessions, table, completed, service="training")
    await OutboxRelay(sessions, table, broker, batch_size=1).publish_pending()
    await OutboxRelay(sessions, table, broker, batch_size=1).publish_pending()

    messages = await read_all(kafka, "iq.training.v1", expected=2)
    assert [dict(m.headers)["ce_id"] for m in messages] == [str(started.event_id).encode(),
                                                          str(completed.event_id).encode()]
    assert messages[0].partition == messages[1].partition


async def test_a_rolled_back_transaction_publishes_nothing(outbox_db, broker):
    sessions, table = outbox_db
    async with UnitOfWork(sessions, Outbox(table, "counselling"), on_commit=lambda: None) as uow:
        uow.publish(advice_given())
        await Outbox(table, "counselling").stage(uow.connection, uow.events)
        # leaving without commit rolls back
    async with sessions() as session:
        assert (await session.execute(select(table))).all() == []
    assert await OutboxRelay(sessions, table, broker).publish_pending() == 0


async def test_replay_publishes_the_whole_log_again_in_order(outbox_db, broker, kafka):
    sessions, table = outbox_db
    events = [advice_given() for _ in range(3)]
    await record(sessions, table, *events)
    relay = OutboxRelay(sessions, table, broker)
    await relay.publish_pending()

    assert await replay(sessions, table) == 3
    assert await relay.publish_pending() == 3
    messages = await read_all(kafka, "iq.counselling.v1", expected=6)
    ids = [dict(m.headers)["ce_id"].decode() for m in messages]
    assert sorted(ids) == sorted([str(e.event_id) for e in events] * 2)
