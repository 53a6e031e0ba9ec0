"""What project staff ask the training service to do. The HTTP bodies are the models without
the record id (it is in the path); the commands (and the import rows) carry it.

Every command names its region: the token and the instance are checked against it before
anything is read, and the record it refers to must belong to it (a record never changes its
region; one entered for the wrong region is retracted with `wrong_region` and recorded again)."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from iq_contracts import occupations
from iq_contracts.base import Occupation
from iq_contracts.codes import (
    AgeBand,
    CompletionOutcome,
    Gender,
    IscedBand,
    LabourMarketStatus,
    MeasureType,
    RetractionReason,
    SchemeFormat,
    Stated,
)
from iq_contracts.regions import Region


def _known_occupation(occupation: Occupation) -> Occupation:
    if not occupations.known(occupation):
        raise ValueError(f"{occupation.code} is not in the shipped {occupation.classification.value} list")
    return occupations.normalised(occupation)


# An occupation from the shipped lists; ISCO-08 codes are mapped to KldB 2010 where the mapping has them.
KnownOccupation = Annotated[Occupation, AfterValidator(_known_occupation)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    region: Region


class SchemeDetails(_Strict):
    """The whole state of a scheme (body of `POST /v1/schemes` and of its correction)."""

    format: SchemeFormat = Field(description="course (a group) or individual (one participant)")
    measure_type: MeasureType
    occupation: KnownOccupation
    starts_on: date = Field(description="the day the scheme started (not in the future)")
    planned_end: date = Field(description="the day it is planned to end (not before the start)")


class OpenScheme(SchemeDetails):
    pass


class CorrectScheme(SchemeDetails):
    scheme_id: UUID


class Withdrawal(_Strict):
    """Body of every retraction: a coded reason, never free text."""

    reason: RetractionReason


class RetractScheme(Withdrawal):
    scheme_id: UUID


class EsfAnswers(BaseModel):
    """ESF+ participant attributes; each optional for the participant, `not_stated` if declined."""

    model_config = ConfigDict(extra="forbid")

    gender: Gender = Gender.NOT_STATED
    age_band: AgeBand = AgeBand.NOT_STATED
    isced: IscedBand = IscedBand.NOT_STATED
    labour_market_status: LabourMarketStatus = LabourMarketStatus.NOT_STATED
    third_country_national: Stated = Stated.NOT_STATED
    foreign_background: Stated = Stated.NOT_STATED


class Participation(_Strict):
    """The whole state of a participant's start (body of an enrolment and of its correction)."""

    person_id: str = Field(min_length=1, max_length=100,
                           description="the local person id; only its pseudonym is stored and published")
    started_on: date = Field(description="the day the participant commenced (not in the future)")
    esf: EsfAnswers = EsfAnswers()


class EnrolParticipant(Participation):
    scheme_id: UUID


class CorrectStart(Participation):
    enrolment_id: UUID


class RetractStart(Withdrawal):
    enrolment_id: UUID


class Completion(_Strict):
    """The whole state of a completion (body of a completion and of its correction)."""

    completed_on: date = Field(description="the day the participant finished or left (not in the future)")
    outcome: CompletionOutcome


class CompleteEnrolment(Completion):
    enrolment_id: UUID


class CorrectCompletion(Completion):
    enrolment_id: UUID


class RetractCompletion(Withdrawal):
    enrolment_id: UUID


class SchemeRecorded(BaseModel):
    scheme_id: UUID
    event_id: UUID
    region: Region
    occurred_on: date
    recorded_at: str


class EnrolmentRecorded(BaseModel):
    enrolment_id: UUID
    scheme_id: UUID
    event_id: UUID
    region: Region
    occurred_on: date
    recorded_at: str
