"""CloudEvents 1.0 in Kafka binary mode: attributes travel as `ce_*` headers, the event
model is the JSON body. W3C `traceparent` rides along so one trace spans every hop."""

from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from .base import IntegrationEvent

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"


class EnvelopeError(ValueError):
    """The headers do not form a valid CloudEvents binary-mode envelope."""


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    source: str
    type: str
    time: AwareDatetime
    subject: str | None = None
    traceparent: str | None = None

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        headers = [
            ("ce_specversion", SPEC_VERSION),
            ("ce_id", str(self.id)),
            ("ce_source", self.source),
            ("ce_type", self.type),
            ("ce_time", self.time.isoformat()),
            ("content-type", CONTENT_TYPE),
        ]
        if self.subject is not None:
            headers.append(("ce_subject", self.subject))
        if self.traceparent is not None:
            headers.append(("traceparent", self.traceparent))
        return [(name, value.encode()) for name, value in headers]

    @classmethod
    def from_kafka_headers(cls, headers: list[tuple[str, bytes]] | tuple) -> "Envelope":
        found = {name: value.decode("utf-8", "replace") for name, value in headers}
        if found.get("ce_specversion") != SPEC_VERSION:
            raise EnvelopeError(f"ce_specversion: expected {SPEC_VERSION!r}, got {found.get('ce_specversion')!r}")
        try:
            return cls(
                id=found.get("ce_id"),
                source=found.get("ce_source"),
                type=found.get("ce_type"),
                time=found.get("ce_time"),
                subject=found.get("ce_subject"),
                traceparent=found.get("traceparent"),
            )
        except ValidationError as exc:
            fields = ", ".join(f"ce_{e['loc'][0]}: {e['msg']}" for e in exc.errors())
            raise EnvelopeError(fields) from None


def source_of(region: str, service: str) -> str:
    return f"/iq/{region}/{service}"


def envelope_for(event: IntegrationEvent, service: str, traceparent: str | None = None) -> Envelope:
    return Envelope(
        id=event.event_id,
        source=source_of(event.region.value, service),
        type=event.ce_type(),
        time=event.recorded_at,
        subject=event.aggregate_id,
        traceparent=traceparent,
    )
