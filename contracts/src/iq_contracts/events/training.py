"""Job training schemes in the context of the Recognition Act (priority area 2)."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from ..base import IntegrationEvent, Occupation, PersonRef
from ..codes import CompletionOutcome, MeasureType, SchemeFormat


class SchemeStarted(IntegrationEvent):
    """One participant commenced a scheme; `occurred_on` is the day they started."""

    context: ClassVar[str] = "training"

    enrolment_id: UUID
    scheme_id: UUID
    format: SchemeFormat
    measure_type: MeasureType
    occupation: Occupation
    person_ref: PersonRef

    @property
    def aggregate_id(self) -> str:
        return str(self.enrolment_id)


class SchemeCompleted(IntegrationEvent):
    """A participant finished (or left) a scheme; `occurred_on` is the day they finished.
    `started_on` repeats the start so cohort figures need no join across events."""

    context: ClassVar[str] = "training"

    enrolment_id: UUID
    scheme_id: UUID
    started_on: date = Field(description="the day the participant commenced")
    outcome: CompletionOutcome

    @property
    def aggregate_id(self) -> str:
        return str(self.enrolment_id)
