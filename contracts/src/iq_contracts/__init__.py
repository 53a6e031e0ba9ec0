"""IQ Platform contracts: what every service and every downstream consumer installs."""

from .base import IntegrationEvent, Occupation
from .envelope import Envelope, EnvelopeError, envelope_for
from .regions import NATIONAL, Region
from .registry import UnknownEventType, read_event, topic_of

__all__ = [
    "NATIONAL",
    "Envelope",
    "EnvelopeError",
    "IntegrationEvent",
    "Occupation",
    "Region",
    "UnknownEventType",
    "envelope_for",
    "read_event",
    "topic_of",
]
