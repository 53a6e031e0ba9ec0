"""Fair Integration: advice on employment and social law (priority area 4)."""

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from ..base import IntegrationEvent, PersonRef
from ..codes import LabourLawTopic, SessionType


class AdviceGiven(IntegrationEvent):
    """Individual advice to a refugee or third-country national."""

    context: ClassVar[str] = "fair-integration"

    session_id: UUID
    session_type: SessionType
    topics: frozenset[LabourLawTopic] = Field(min_length=1)
    person_ref: PersonRef

    @property
    def aggregate_id(self) -> str:
        return str(self.session_id)


class EventHeld(IntegrationEvent):
    """A group information event; `participants` is the number of people reached."""

    context: ClassVar[str] = "fair-integration"

    activity_id: UUID
    topics: frozenset[LabourLawTopic] = Field(min_length=1)
    participants: int = Field(ge=0, le=100_000)

    @property
    def aggregate_id(self) -> str:
        return str(self.activity_id)
