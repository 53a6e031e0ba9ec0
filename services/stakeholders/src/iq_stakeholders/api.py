"""HTTP for recording: parse -> command -> handler -> response."""

from functools import partial
from uuid import UUID

from fastapi import APIRouter, status

from iq_contracts.base import IntegrationEvent
from iq_runtime.auth import Recorder
from iq_runtime.recording import RecordingDep, ensure_may_record, import_route

from . import handlers
from .commands import (
    OrganisationCorrected,
    OrganisationRegistered,
    RecordActivity,
    RecordConsultation,
    Recorded,
    RegisterOrganisation,
    Retract,
)

router = APIRouter(prefix="/v1")
CREATED = {"status_code": status.HTTP_201_CREATED, "response_model": Recorded}
# a correction or retraction changes a record that exists: 200, as in the other services
AMENDED = {"status_code": status.HTTP_200_OK, "response_model": Recorded}


def _recorded(event: IntegrationEvent) -> Recorded:
    return Recorded(id=event.aggregate_id, event_id=event.event_id, event_type=type(event).__name__,
                    region=event.region, occurred_on=event.occurred_on, recorded_at=event.recorded_at.isoformat())


@router.post("/organisations", tags=["organisations"], status_code=status.HTTP_201_CREATED,
             response_model=OrganisationRegistered)
async def register_organisation(cmd: RegisterOrganisation, principal: Recorder, recording: RecordingDep):
    """Registers a stakeholder organisation (no event: consultations carry its id and type)."""
    ensure_may_record(principal, cmd.region)
    found = await handlers.register_organisation(cmd, recording.unit_of_work(), recording.context)
    return OrganisationRegistered(organisation_id=found.organisation_id, region=found.region, code=found.code,
                                  type=found.type, group=found.type.group)


@router.post("/organisations/{organisation_id}/correction", tags=["organisations"],
             response_model=OrganisationCorrected)
async def correct_organisation(organisation_id: UUID, cmd: RegisterOrganisation, principal: Recorder,
                               recording: RecordingDep):
    """The whole corrected state of an organisation (code, type, name; not its region). A
    corrected type publishes `ConsultationCorrected` for each of its standing consultations."""
    found, corrections = await handlers.correct_organisation(
        organisation_id, cmd, recording.unit_of_work(), recording.context,
        may_record=partial(ensure_may_record, principal))
    return OrganisationCorrected(organisation_id=found.organisation_id, region=found.region, code=found.code,
                                 type=found.type, group=found.type.group, consultations_corrected=len(corrections))


@router.post("/activities", tags=["trainings and events"], **CREATED)
async def record_activity(cmd: RecordActivity, principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, cmd.region)
    return _recorded(await handlers.record_activity(cmd, recording.unit_of_work(), recording.context))


@router.post("/activities/{activity_id}/correction", tags=["trainings and events"], **AMENDED)
async def correct_activity(activity_id: UUID, cmd: RecordActivity, principal: Recorder, recording: RecordingDep):
    """The whole corrected state of a training or event: publishes `EventCorrected`."""
    return _recorded(await handlers.correct_activity(activity_id, cmd, recording.unit_of_work(), recording.context,
                                                     may_record=partial(ensure_may_record, principal)))


@router.post("/activities/{activity_id}/retraction", tags=["trainings and events"], **AMENDED)
async def retract_activity(activity_id: UUID, cmd: Retract, principal: Recorder, recording: RecordingDep):
    """Withdraws a training or event with a coded reason: publishes `EventRetracted`."""
    return _recorded(await handlers.retract_activity(activity_id, cmd, recording.unit_of_work(), recording.context,
                                                     may_record=partial(ensure_may_record, principal)))


@router.post("/consultations", tags=["consultations"], **CREATED)
async def record_consultation(cmd: RecordConsultation, principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, cmd.region)
    return _recorded(await handlers.record_consultation(cmd, recording.unit_of_work(), recording.context))


@router.post("/consultations/{consultation_id}/correction", tags=["consultations"], **AMENDED)
async def correct_consultation(consultation_id: UUID, cmd: RecordConsultation, principal: Recorder,
                               recording: RecordingDep):
    """The whole corrected state of a consultation: publishes `ConsultationCorrected`."""
    return _recorded(await handlers.correct_consultation(
        consultation_id, cmd, recording.unit_of_work(), recording.context,
        may_record=partial(ensure_may_record, principal)))


@router.post("/consultations/{consultation_id}/retraction", tags=["consultations"], **AMENDED)
async def retract_consultation(consultation_id: UUID, cmd: Retract, principal: Recorder, recording: RecordingDep):
    """Withdraws a consultation with a coded reason: publishes `ConsultationRetracted`."""
    return _recorded(await handlers.retract_consultation(
        consultation_id, cmd, recording.unit_of_work(), recording.context,
        may_record=partial(ensure_may_record, principal)))


import_route(router, "/activities/import", command=RecordActivity, apply=handlers.add_activity,
             what="trainings and events")
import_route(router, "/consultations/import", command=RecordConsultation, apply=handlers.add_consultation,
             what="consultations")
