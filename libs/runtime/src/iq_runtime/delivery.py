"""Reading a Kafka record into an event, and parking what cannot be read."""

from dataclasses import dataclass

from aiokafka import ConsumerRecord
from pydantic import ValidationError

from iq_contracts.base import IntegrationEvent
from iq_contracts.envelope import Envelope, EnvelopeError
from iq_contracts.registry import UnknownEventType, read_event
from iq_contracts.topics import dead_letter_topic


class Undeliverable(ValueError):
    """A record no projection can apply; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Delivery:
    event: IntegrationEvent
    envelope: Envelope
    record: ConsumerRecord


def decode(record: ConsumerRecord) -> Delivery:
    try:
        envelope = Envelope.from_kafka_headers(record.headers)
        event = read_event(envelope.type, record.value)
    except (EnvelopeError, UnknownEventType) as exc:
        raise Undeliverable(str(exc)) from None
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise Undeliverable(reasons) from None
    if envelope.id != event.event_id:
        raise Undeliverable("ce_id: does not match the body's event_id")
    # On a shared cluster every region's principal may write the context topics; the source
    # names the producing instance's region, so a record claiming another region is parked.
    source_region = envelope.source.split("/")[2] if envelope.source.startswith("/iq/") else None
    if source_region != event.region.value:
        raise Undeliverable(f"ce_source: {envelope.source!r} is not a source of region {event.region.value}")
    return Delivery(event, envelope, record)


class DeadLetters:
    """Publishes a record to its consumer group's dead-letter topic with the reason, keeping
    the original key, body and headers so an operator can repair and re-publish it."""

    def __init__(self, broker, consumer_group: str) -> None:
        self.broker = broker
        self.group = consumer_group
        self.topic = dead_letter_topic(consumer_group)

    async def park(self, record: ConsumerRecord, reason: str) -> None:
        headers = {name: value.decode("utf-8", "replace") for name, value in record.headers}
        headers |= {
            "iq_dlq_reason": reason,
            "iq_dlq_group": self.group,
            "iq_dlq_topic": record.topic,
            "iq_dlq_partition": str(record.partition),
            "iq_dlq_offset": str(record.offset),
        }
        await self.broker.publish(record.value or b"", self.topic, key=record.key, headers=headers)
