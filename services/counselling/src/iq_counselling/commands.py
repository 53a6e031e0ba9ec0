"""What an adviser asks the counselling service to do (the HTTP bodies are these models)."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from iq_contracts.base import ContactPointCode, CountryCode, Occupation
from iq_contracts.codes import AdviceKind, AdviceMode, ContactPointType, RetractionReason, SessionType
from iq_contracts.regions import Region


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RecordAdviceSession(_Command):
    """A new advice session; a correction sends the same body with the corrected values."""

    region: Region
    contact_point: ContactPointCode
    occurred_on: date = Field(description="the day of the session (not in the future)")
    session_type: SessionType = SessionType.INITIAL
    kind: AdviceKind
    mode: AdviceMode
    occupation: Occupation = Field(description="KldB 2010 (five digits) or ISCO-08 (four digits), from the "
                                               "shipped lists; ISCO-08 is mapped to KldB 2010 where possible")
    qualification_country: CountryCode
    occupation_regulated: bool
    person_id: str = Field(min_length=1, max_length=100,
                           description="the local person id; only its pseudonym is stored and published")


class CorrectAdviceSession(RecordAdviceSession):
    """The whole corrected state of a session recorded earlier (same rules as recording)."""


class RetractAdviceSession(_Command):
    reason: RetractionReason


class OpenContactPoint(_Command):
    region: Region
    code: ContactPointCode = Field(description="the contact point's code, unique in its region (e.g. koeln-01)")
    type: ContactPointType
    opened_on: date = Field(description="its first day of service (not in the future)")


class CloseContactPoint(_Command):
    closed_on: date = Field(description="its last day of service (not before it opened, not in the future)")


class CorrectContactPoint(_Command):
    """The whole corrected state of a contact point recorded wrongly."""

    type: ContactPointType
    opened_on: date = Field(description="its first day of service (not after a session held there)")
    closed_on: date | None = Field(None, description="its last day of service if it has closed "
                                                     "(not before a session held there)")


class RetractContactPoint(_Command):
    reason: RetractionReason


class AdviceSessionRecorded(BaseModel):
    session_id: UUID
    event_id: UUID
    region: Region
    occurred_on: date
    recorded_at: str
