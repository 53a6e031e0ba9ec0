"""The FastStream Kafka broker every service publishes with, and topic provisioning."""

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from .settings import KafkaSettings

log = logging.getLogger(__name__)


# acks=all without idempotence: durable on a real cluster, and accepted by brokers (like the
# local one) that cannot hand out producer ids. Duplicates from retries are harmless because
# every consumer de-duplicates by event id. linger_ms=5, Kafka 4.0's own default (KIP-1030):
# records sent within 5 ms leave as one batch per partition. Fewer batches are less work for a
# broker: the local one's fetches slow down with every batch it stores (bench.broker_fetch),
# and at ~4,100 events/s it used 0.22-0.24 cores against 0.29-0.30 at 2 ms (bench/README.md).
PRODUCER_OPTIONS = {"acks": "all", "enable_idempotence": False, "linger_ms": 5}


def create_broker(kafka: KafkaSettings, bootstrap_servers: str, client_id: str) -> KafkaBroker:
    return KafkaBroker(
        bootstrap_servers,
        client_id=client_id,
        **PRODUCER_OPTIONS,
        security=_security(kafka),
        middlewares=(KafkaTelemetryMiddleware(),),
        logger=log,
    )


Send = Callable[[str, bytes, bytes, list[tuple[str, bytes]]], Awaitable[asyncio.Future]]


def sender(broker: KafkaBroker) -> Send:
    """`send(topic, value, key, headers)` -> the acknowledgement to await. Normally the
    started broker's own aiokafka producer (same connection, acks and linger): the outbox
    relay sends prepared bytes and headers and needs none of FastStream's encoding,
    middleware or publish command per message. Under FastStream's TestKafkaBroker there is
    no such producer, so it publishes through the broker."""
    producer = getattr(getattr(getattr(broker.config, "producer", None), "_producer", None), "producer", None)
    if isinstance(producer, AIOKafkaProducer):
        return lambda topic, value, key, headers: producer.send(topic, value, key=key, headers=headers)

    async def through_broker(topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]):
        sent = await broker.publish(value, topic, key=key, headers={n: v.decode() for n, v in headers},
                                    no_confirm=True)
        if inspect.isawaitable(sent):
            return sent
        confirmed = asyncio.get_running_loop().create_future()  # in-memory brokers confirm at once
        confirmed.set_result(sent)
        return confirmed

    return through_broker


def _security(kafka: KafkaSettings) -> BaseSecurity | None:
    options = kafka.client_options()
    ssl_context = options.get("ssl_context")
    if kafka.security_protocol == "PLAINTEXT":
        return None
    if kafka.security_protocol == "SSL":
        return BaseSecurity(ssl_context=ssl_context)
    credentials = {"username": kafka.sasl_username, "password": options["sasl_plain_password"],
                   "ssl_context": ssl_context}
    return {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256,
            "SCRAM-SHA-512": SASLScram512}[kafka.sasl_mechanism](**credentials)


async def ensure_topics(bootstrap_servers: str, topics: list[str], client_options: dict,
                        partitions: int = 3) -> None:
    """Create missing topics with enough partitions to spread regions across consumers.
    On a managed cluster without create rights this only logs: operators provision there."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, **client_options)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, partitions, 1) for name in topics if name not in existing]
        if missing:
            await admin.create_topics(missing)
    except TopicAlreadyExistsError:
        pass  # created concurrently by another process
    except Exception as exc:
        log.warning("could not create topics %s: %s", topics, exc)
    finally:
        await admin.close()
