"""Intercultural opening of labour-market and business stakeholders (priority area 3)."""

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from ..base import IntegrationEvent
from ..codes import EventFormat, OpeningTopic, StakeholderGroup


class EventHeld(IntegrationEvent):
    """A training or an event for stakeholders took place."""

    context: ClassVar[str] = "stakeholders"

    activity_id: UUID
    format: EventFormat
    target_group: StakeholderGroup
    topic: OpeningTopic
    participants: int = Field(ge=0, le=100_000)

    @property
    def aggregate_id(self) -> str:
        return str(self.activity_id)
