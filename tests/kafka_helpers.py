"""Producing and reading raw records on a real broker, as a foreign producer would."""

import asyncio
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from iq_contracts.envelope import envelope_for
from iq_contracts.registry import topic_of
from iq_runtime.settings import KafkaSettings

FAST_GROUP_ENV = {"KAFKA_SESSION_TIMEOUT_MS": "1000", "KAFKA_HEARTBEAT_INTERVAL_MS": "200"}


def fast_group(bootstrap: str) -> KafkaSettings:
    """Settings whose consumer groups settle in under a second on the local broker."""
    return KafkaSettings(bootstrap_servers=bootstrap, session_timeout_ms=1000, heartbeat_interval_ms=200)


async def produce(bootstrap: str, events, service: str = "counselling") -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(topic_of(type(event)), event.model_dump_json().encode(),
                                         key=event.aggregate_id.encode(),
                                         headers=envelope_for(event, service).kafka_headers())
    finally:
        await producer.stop()


async def produce_raw(bootstrap: str, topic: str, value: bytes, headers=(), key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=list(headers))
    finally:
        await producer.stop()


async def read_all(bootstrap: str, topic: str, expected: int, timeout: float = 15.0) -> list:  # noqa: ASYNC109 - a deadline across polls
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=None)
    await consumer.start()
    records: list = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expected and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                records.extend(batch)
    finally:
        await consumer.stop()
    return records


async def eventually(check, timeout: float = 15.0, interval: float = 0.1):  # noqa: ASYNC109 - a deadline across polls
    """Poll until `check()` returns a truthy value; return it (or the last value on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(interval)
