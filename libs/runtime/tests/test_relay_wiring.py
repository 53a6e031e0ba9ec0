"""Wiring only (FastStream's TestKafkaBroker, no network): the relay hands each outbox row
to the broker with its topic, key and CloudEvents headers, and a subscriber typed with the
contract model receives the event. The real broker is exercised in test_outbox_on_kafka."""

from faststream.kafka import KafkaMessage, TestKafkaBroker
from sqlalchemy import MetaData

from iq_contracts.events.counselling import AdviceGiven
from iq_contracts.registry import tolerant
from iq_runtime.broker import create_broker
from iq_runtime.database import create_engine, session_factory
from iq_runtime.outbox import Outbox, OutboxRelay, outbox_table
from iq_runtime.settings import KafkaSettings
from iq_runtime.unit_of_work import UnitOfWork
from tests.factories import advice_given


async def test_the_relay_publishes_to_the_contract_topic(tmp_path):
    metadata = MetaData()
    table = outbox_table(metadata)
    engine = create_engine(f"sqlite:///{tmp_path}/outbox.db")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    sessions = session_factory(engine)

    broker = create_broker(KafkaSettings(), "localhost:9092", client_id="iq-test")
    received: list[tuple[AdviceGiven, KafkaMessage]] = []

    @broker.subscriber("iq.counselling.v1")
    async def on_advice(event: tolerant(AdviceGiven), message: KafkaMessage) -> None:
        received.append((event, message))

    event = advice_given()
    async with UnitOfWork(sessions, Outbox(table, "counselling"), on_commit=lambda: None) as uow:
        uow.publish(event)
        await uow.commit()

    async with TestKafkaBroker(broker):
        assert await OutboxRelay(sessions, table, broker).publish_pending() == 1

    [(got, message)] = received
    assert got.model_dump() == event.model_dump()
    assert message.raw_message.key == str(event.session_id).encode()
    assert message.headers["ce_type"] == "de.netzwerk-iq.counselling.AdviceGiven.v1"
    assert message.headers["ce_source"] == "/iq/DE-NW/counselling"
    await engine.dispose()
