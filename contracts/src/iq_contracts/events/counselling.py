"""Counselling on recognition and job training (priority area 1)."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from ..base import ContactPointCode, CountryCode, IntegrationEvent, Occupation, PersonRef, Retraction
from ..codes import AdviceKind, AdviceMode, ContactPointType, SessionType


class _AdviceSession(IntegrationEvent):
    context: ClassVar[str] = "counselling"
    key_field: ClassVar[str] = "session_id"

    session_id: UUID
    session_type: SessionType
    kind: AdviceKind
    mode: AdviceMode
    contact_point: ContactPointCode
    occupation: Occupation
    qualification_country: CountryCode = Field(description="where the qualification was acquired")
    occupation_regulated: bool = Field(description="whether the occupation is regulated in Germany")
    person_ref: PersonRef


class AdviceGiven(_AdviceSession):
    """An advice session took place at a contact point. Only `initial` sessions count as
    initial advisory sessions; follow-ups are recorded for the case history."""


class AdviceCorrected(_AdviceSession):
    """A session recorded earlier was wrong; this is its whole corrected state, which
    replaces the earlier one from `recorded_at` on (figures as of before stay unchanged)."""


class AdviceRetracted(Retraction):
    """A session recorded earlier is withdrawn (entered in error, a duplicate, ...)."""

    context: ClassVar[str] = "counselling"
    key_field: ClassVar[str] = "session_id"

    session_id: UUID


class _ContactPointEvent(IntegrationEvent):
    context: ClassVar[str] = "counselling"

    contact_point: ContactPointCode

    @property
    def aggregate_id(self) -> str:
        return f"{self.region.value}/{self.contact_point}"


class ContactPointOpened(_ContactPointEvent):
    """A permanent or mobile advice centre opened; `occurred_on` is its first day."""

    contact_point_type: ContactPointType


class ContactPointClosed(_ContactPointEvent):
    """An advice centre closed; `occurred_on` is its last day of service."""


class ContactPointCorrected(_ContactPointEvent):
    """A contact point recorded earlier was wrong; this is its whole corrected state, which
    replaces the earlier one from `recorded_at` on: `occurred_on` is its first day,
    `closed_on` its last day of service if it has closed."""

    contact_point_type: ContactPointType
    closed_on: date | None = None


class ContactPointRetracted(Retraction, _ContactPointEvent):
    """A contact point recorded in error is withdrawn (none of its sessions stands);
    `occurred_on` repeats its first day. Its code stays taken."""
