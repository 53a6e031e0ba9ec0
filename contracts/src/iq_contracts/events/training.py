"""Job training schemes in the context of the Recognition Act (priority area 2).

Three records, each with its own key: a scheme (`scheme_id`), a participant's enrolment and
its completion (both `enrolment_id`, so a participant's events stay in order)."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from ..base import IntegrationEvent, Occupation, PersonRef, Retraction
from ..codes import AgeBand, CompletionOutcome, Gender, IscedBand, LabourMarketStatus, MeasureType, SchemeFormat, Stated


class EsfAttributes(BaseModel):
    """ESF+ participant attributes, coded; `not_stated` where the participant declined."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gender: Gender
    age_band: AgeBand
    isced: IscedBand
    labour_market_status: LabourMarketStatus
    third_country_national: Stated
    foreign_background: Stated


class _Scheme(IntegrationEvent):
    context: ClassVar[str] = "training"
    key_field: ClassVar[str] = "scheme_id"

    scheme_id: UUID
    format: SchemeFormat
    measure_type: MeasureType
    occupation: Occupation
    planned_end: date = Field(description="the day the scheme is planned to end")


class SchemeOpened(_Scheme):
    """A job training scheme (a course or an individually tailored one) was set up;
    `occurred_on` is the day it starts. The figures count schemes started from these."""


class SchemeCorrected(_Scheme):
    """The whole corrected state of a scheme recorded earlier."""


class SchemeRetracted(Retraction):
    """A scheme recorded earlier is withdrawn."""

    context: ClassVar[str] = "training"
    key_field: ClassVar[str] = "scheme_id"

    scheme_id: UUID


class _Enrolment(IntegrationEvent):
    context: ClassVar[str] = "training"
    key_field: ClassVar[str] = "enrolment_id"

    enrolment_id: UUID
    scheme_id: UUID


class _Start(_Enrolment):
    format: SchemeFormat
    measure_type: MeasureType
    occupation: Occupation
    person_ref: PersonRef
    esf: EsfAttributes


class SchemeStarted(_Start):
    """One participant commenced a scheme; `occurred_on` is the day they started."""


class SchemeStartCorrected(_Start):
    """The whole corrected state of a participant's start recorded earlier."""


class SchemeStartRetracted(Retraction, _Enrolment):
    """A participant's start recorded earlier is withdrawn (and with it any completion)."""


class _Completion(_Enrolment):
    started_on: date = Field(description="the day the participant commenced")
    outcome: CompletionOutcome


class SchemeCompleted(_Completion):
    """A participant finished (or left) a scheme; `occurred_on` is the day they finished.
    `started_on` repeats the start so cohort figures need no join across events."""


class SchemeCompletionCorrected(_Completion):
    """The whole corrected state of a completion recorded earlier (e.g. another outcome)."""


class SchemeCompletionRetracted(Retraction, _Enrolment):
    """A completion recorded earlier is withdrawn; the participant counts as still in training."""
