"""What an adviser asks the counselling service to do (the HTTP bodies are these models)."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from iq_contracts.base import ContactPointCode, CountryCode, Occupation
from iq_contracts.codes import AdviceKind, AdviceMode, SessionType
from iq_contracts.regions import Region


class RecordAdviceSession(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    region: Region
    contact_point: ContactPointCode
    occurred_on: date = Field(description="the day of the session (not in the future)")
    session_type: SessionType = SessionType.INITIAL
    kind: AdviceKind
    mode: AdviceMode
    occupation: Occupation
    qualification_country: CountryCode
    occupation_regulated: bool
    person_id: str = Field(min_length=1, max_length=100,
                           description="the local person id; only its pseudonym is stored and published")


class AdviceSessionRecorded(BaseModel):
    session_id: UUID
    event_id: UUID
    region: Region
    occurred_on: date
    recorded_at: str
