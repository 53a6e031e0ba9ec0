"""Intercultural opening of labour-market and business stakeholders (priority area 3)."""

from typing import ClassVar, Self
from uuid import UUID

from pydantic import Field, model_validator

from ..base import IntegrationEvent, Retraction
from ..codes import EventFormat, OpeningTopic, StakeholderGroup, StakeholderType


class _Activity(IntegrationEvent):
    context: ClassVar[str] = "stakeholders"
    key_field: ClassVar[str] = "activity_id"

    activity_id: UUID


class _ActivityFacts(_Activity):
    format: EventFormat
    target_group: StakeholderGroup
    topic: OpeningTopic
    participants: int = Field(ge=0, le=100_000)


class EventHeld(_ActivityFacts):
    """A training or an event for stakeholders took place."""


class EventCorrected(_ActivityFacts):
    """The whole corrected state of a training or event recorded earlier."""


class EventRetracted(Retraction, _Activity):
    """A training or event recorded earlier is withdrawn."""


class _Consultation(IntegrationEvent):
    context: ClassVar[str] = "stakeholders"
    key_field: ClassVar[str] = "consultation_id"

    consultation_id: UUID


class _ConsultationFacts(_Consultation):
    organisation_id: UUID
    organisation_type: StakeholderType
    target_group: StakeholderGroup
    topic: OpeningTopic

    @model_validator(mode="after")
    def _group_of_the_organisation(self) -> Self:
        if self.organisation_type.group is not self.target_group:
            raise ValueError(f"a {self.organisation_type.value} is a {self.organisation_type.group.value} stakeholder")
        return self


class ConsultationHeld(_ConsultationFacts):
    """A stakeholder organisation was consulted on a topic of intercultural opening."""


class ConsultationCorrected(_ConsultationFacts):
    """The whole corrected state of a consultation recorded earlier."""


class ConsultationRetracted(Retraction, _Consultation):
    """A consultation recorded earlier is withdrawn."""
