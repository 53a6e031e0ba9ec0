"""Fair Integration: advice on employment and social law (priority area 4)."""

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from ..base import CountryCode, IntegrationEvent, PersonRef, Retraction
from ..codes import LabourLawTopic, ResidenceStatusGroup, SessionType


class _Session(IntegrationEvent):
    context: ClassVar[str] = "fair-integration"
    key_field: ClassVar[str] = "session_id"

    session_id: UUID


class _Advice(_Session):
    session_type: SessionType
    topics: frozenset[LabourLawTopic] = Field(min_length=1)
    residence_status: ResidenceStatusGroup
    person_ref: PersonRef


class AdviceGiven(_Advice):
    """Individual advice to a refugee or third-country national."""


class AdviceCorrected(_Advice):
    """The whole corrected state of an advice session recorded earlier."""


class AdviceRetracted(Retraction, _Session):
    """An advice session recorded earlier is withdrawn."""


class _GroupEvent(IntegrationEvent):
    context: ClassVar[str] = "fair-integration"
    key_field: ClassVar[str] = "activity_id"

    activity_id: UUID


class _GroupEventFacts(_GroupEvent):
    topics: frozenset[LabourLawTopic] = Field(min_length=1)
    participants: int = Field(ge=0, le=100_000)


class EventHeld(_GroupEventFacts):
    """A group information event; `participants` is the number of people reached."""


class EventCorrected(_GroupEventFacts):
    """The whole corrected state of a group event recorded earlier."""


class EventRetracted(Retraction, _GroupEvent):
    """A group event recorded earlier is withdrawn."""


class _Referral(IntegrationEvent):
    context: ClassVar[str] = "fair-integration"
    key_field: ClassVar[str] = "referral_id"

    referral_id: UUID


class ReferredToFairMobility(_Referral):
    """A person from an EU/EEA country was referred to the Fair Mobility network instead of
    being advised here; `citizenship` is the EU/EEA country."""

    person_ref: PersonRef
    citizenship: CountryCode


class ReferralRetracted(Retraction, _Referral):
    """A referral recorded earlier is withdrawn."""
