"""Counselling on recognition and job training (priority area 1)."""

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from ..base import ContactPointCode, CountryCode, IntegrationEvent, Occupation, PersonRef
from ..codes import AdviceKind, AdviceMode, SessionType


class AdviceGiven(IntegrationEvent):
    """An advice session took place at a contact point. Only `initial` sessions count as
    initial advisory sessions; follow-ups are recorded for the case history."""

    context: ClassVar[str] = "counselling"

    session_id: UUID
    session_type: SessionType
    kind: AdviceKind
    mode: AdviceMode
    contact_point: ContactPointCode
    occupation: Occupation
    qualification_country: CountryCode = Field(description="where the qualification was acquired")
    occupation_regulated: bool = Field(description="whether the occupation is regulated in Germany")
    person_ref: PersonRef

    @property
    def aggregate_id(self) -> str:
        return str(self.session_id)
