"""Every published event type, found by its CloudEvents type; tolerant reading for consumers."""

from functools import cache

from pydantic import ConfigDict

from . import topics
from .base import IntegrationEvent
from .events import counselling, fair_integration, stakeholders, training

EVENT_TYPES: tuple[type[IntegrationEvent], ...] = (
    counselling.AdviceGiven,
    counselling.AdviceCorrected,
    counselling.AdviceRetracted,
    counselling.ContactPointOpened,
    counselling.ContactPointClosed,
    counselling.ContactPointCorrected,
    counselling.ContactPointRetracted,
    training.SchemeOpened,
    training.SchemeCorrected,
    training.SchemeRetracted,
    training.SchemeStarted,
    training.SchemeStartCorrected,
    training.SchemeStartRetracted,
    training.SchemeCompleted,
    training.SchemeCompletionCorrected,
    training.SchemeCompletionRetracted,
    stakeholders.EventHeld,
    stakeholders.EventCorrected,
    stakeholders.EventRetracted,
    stakeholders.ConsultationHeld,
    stakeholders.ConsultationCorrected,
    stakeholders.ConsultationRetracted,
    fair_integration.AdviceGiven,
    fair_integration.AdviceCorrected,
    fair_integration.AdviceRetracted,
    fair_integration.EventHeld,
    fair_integration.EventCorrected,
    fair_integration.EventRetracted,
    fair_integration.ReferredToFairMobility,
    fair_integration.ReferralRetracted,
)
BY_CE_TYPE: dict[str, type[IntegrationEvent]] = {cls.ce_type(): cls for cls in EVENT_TYPES}


class UnknownEventType(LookupError):
    pass


def topic_of(event_type: type[IntegrationEvent]) -> str:
    return topics.BY_CONTEXT[event_type.context]


def event_type_named(ce_type: str) -> type[IntegrationEvent]:
    try:
        return BY_CE_TYPE[ce_type]
    except KeyError:
        raise UnknownEventType(f"ce_type: unknown event type {ce_type!r}") from None


@cache
def tolerant(event_type: type[IntegrationEvent]) -> type[IntegrationEvent]:
    """The consumer's view of an event: lax types, unknown fields ignored, so a producer
    may add optional fields without breaking anyone downstream."""
    return type(  # type: ignore[return-value]
        event_type.__name__,
        (event_type,),
        {"model_config": ConfigDict(extra="ignore", strict=False), "__module__": event_type.__module__},
    )


def read_event(ce_type: str, body: bytes | str) -> IntegrationEvent:
    """Parse a message body as the event its `ce_type` header names (raises on failure)."""
    return tolerant(event_type_named(ce_type)).model_validate_json(body)
