"""What project staff ask the stakeholders service to do (the HTTP bodies are these models)."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from iq_contracts.codes import EventFormat, OpeningTopic, RetractionReason, StakeholderGroup, StakeholderType
from iq_contracts.regions import Region
from iq_runtime.inputs import Participants

# An organisation's reference within its region, e.g. "jobcenter-koeln": lower-case words
# joined by hyphens, so that it survives CSV exports and URLs unchanged.
OrganisationCode = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64,
                                        description="the organisation's reference in its region")]
HeldOn = Annotated[date, Field(description="the day it took place (not in the future)")]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegisterOrganisation(_Command):
    region: Region
    code: OrganisationCode
    type: StakeholderType
    name: str = Field(min_length=1, max_length=200,
                      description="display name of the institution; kept in this service only, never published")


class RecordActivity(_Command):
    """A training or an event; also the whole corrected state of one recorded earlier."""

    region: Region
    format: EventFormat
    target_group: StakeholderGroup
    topic: OpeningTopic
    held_on: HeldOn
    participants: Participants


class RecordConsultation(_Command):
    """A consultation of a registered organisation, named by its id or by its code in the
    region (old tools know the code, not the id); also the whole corrected state."""

    region: Region
    organisation_id: UUID | None = None
    organisation_code: OrganisationCode | None = None
    topic: OpeningTopic
    held_on: HeldOn


class Retract(_Command):
    reason: RetractionReason


class OrganisationRegistered(BaseModel):
    organisation_id: UUID
    region: Region
    code: str
    type: StakeholderType
    group: StakeholderGroup


class OrganisationCorrected(OrganisationRegistered):
    consultations_corrected: int = Field(description="standing consultations now counted under the corrected type "
                                                     "(one ConsultationCorrected each)")


class Recorded(BaseModel):
    """The answer to recording, correcting or retracting: the record and the event published."""

    id: UUID
    event_id: UUID
    event_type: str
    region: Region
    occurred_on: date
    recorded_at: str
