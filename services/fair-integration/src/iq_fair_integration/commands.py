"""What a Fair Integration adviser asks the service to do (the HTTP bodies are these models)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from iq_contracts.base import CountryCode
from iq_contracts.codes import LabourLawTopic, ResidenceStatusGroup, RetractionReason, SessionType
from iq_contracts.countries import is_country
from iq_contracts.regions import Region
from iq_runtime.inputs import Participants


def _split_codes(value):
    """A CSV cell holds several codes as `wages;holiday`; a JSON body sends a list."""
    if isinstance(value, str):
        return [code.strip() for code in value.split(";") if code.strip()]
    return value


# Stateless people and those whose citizenship is unclear are among the refugees advised; a
# user-assigned code (ISO 3166 leaves "XX" to its users) records them as third-country nationals.
STATELESS_OR_UNCLEAR = "XX"


def _known_country(code: str) -> str:
    if not is_country(code) and code != STATELESS_OR_UNCLEAR:
        raise ValueError(f"{code} is not an ISO 3166-1 country code, XK (Kosovo) or XX (stateless or unclear)")
    return code


Topics = Annotated[frozenset[LabourLawTopic], BeforeValidator(_split_codes),
                   Field(min_length=1, description="one or more topics; in CSV one cell, codes separated by ';'")]
Citizenship = Annotated[CountryCode, AfterValidator(_known_country)]
PersonId = Annotated[str, Field(min_length=1, max_length=100,
                                description="the local person id; only its pseudonym is stored and published")]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RecordAdviceSession(_Command):
    """Also the body of a correction: the whole corrected state."""

    region: Region
    occurred_on: date = Field(description="the day of the session (not in the future)")
    session_type: SessionType = SessionType.INITIAL
    topics: Topics
    residence_status: ResidenceStatusGroup = ResidenceStatusGroup.NOT_STATED
    citizenship: Citizenship = Field(description="kept here to route EU/EEA citizens to Fair Mobility; "
                                                 "not published")
    person_id: PersonId


class RecordGroupEvent(_Command):
    """Also the body of a correction: the whole corrected state."""

    region: Region
    held_on: date = Field(description="the day of the event (not in the future)")
    topics: Topics
    participants: Participants = Field(description="the number of people reached")


class RecordReferral(_Command):
    region: Region
    occurred_on: date = Field(description="the day of the referral (not in the future)")
    citizenship: Citizenship = Field(description="an EU/EEA country: only its citizens go to Fair Mobility")
    person_id: PersonId


class Retract(_Command):
    reason: RetractionReason


class _Receipt(BaseModel):
    event_id: UUID
    event_type: str
    region: Region
    occurred_on: date
    recorded_at: datetime


class AdviceSessionReceipt(_Receipt):
    session_id: UUID


class GroupEventReceipt(_Receipt):
    activity_id: UUID


class ReferralReceipt(_Receipt):
    referral_id: UUID
