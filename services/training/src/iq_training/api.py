"""HTTP for recording: parse -> command -> handler -> response. The record id is in the path;
the body is the rest of the command."""

from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel

from iq_runtime.auth import Principal, Recorder
from iq_runtime.recording import Recording, RecordingDep, ensure_may_record, import_route

from . import handlers
from .commands import (
    CompleteEnrolment,
    Completion,
    CorrectCompletion,
    CorrectScheme,
    CorrectStart,
    EnrolmentRecorded,
    EnrolParticipant,
    OpenScheme,
    Participation,
    RetractCompletion,
    RetractScheme,
    RetractStart,
    SchemeDetails,
    SchemeRecorded,
    Withdrawal,
)

router = APIRouter(prefix="/v1", tags=["training"])
CREATED = {"status_code": status.HTTP_201_CREATED}


async def _record(command: type[BaseModel], body: BaseModel, principal: Principal, recording: Recording, **ids):
    cmd = command.model_validate(body.model_dump() | ids)
    ensure_may_record(principal, cmd.region)
    event = await handlers.handle(cmd, recording.unit_of_work(), recording.context)
    return event.model_dump() | {"recorded_at": event.recorded_at.isoformat()}


@router.post("/schemes", response_model=SchemeRecorded, **CREATED)
async def open_scheme(body: OpenScheme, principal: Recorder, recording: RecordingDep):
    return await _record(OpenScheme, body, principal, recording)


@router.post("/schemes/{scheme_id}/correction", response_model=SchemeRecorded)
async def correct_scheme(scheme_id: UUID, body: SchemeDetails, principal: Recorder, recording: RecordingDep):
    """The whole corrected scheme; its participants' starts are corrected with it."""
    return await _record(CorrectScheme, body, principal, recording, scheme_id=scheme_id)


@router.post("/schemes/{scheme_id}/retraction", response_model=SchemeRecorded)
async def retract_scheme(scheme_id: UUID, body: Withdrawal, principal: Recorder, recording: RecordingDep):
    """Only a scheme without participants (retract their starts first)."""
    return await _record(RetractScheme, body, principal, recording, scheme_id=scheme_id)


@router.post("/schemes/{scheme_id}/enrolments", response_model=EnrolmentRecorded, **CREATED)
async def enrol_participant(scheme_id: UUID, body: Participation, principal: Recorder, recording: RecordingDep):
    return await _record(EnrolParticipant, body, principal, recording, scheme_id=scheme_id)


@router.post("/enrolments/{enrolment_id}/correction", response_model=EnrolmentRecorded)
async def correct_start(enrolment_id: UUID, body: Participation, principal: Recorder, recording: RecordingDep):
    return await _record(CorrectStart, body, principal, recording, enrolment_id=enrolment_id)


@router.post("/enrolments/{enrolment_id}/retraction", response_model=EnrolmentRecorded)
async def retract_start(enrolment_id: UUID, body: Withdrawal, principal: Recorder, recording: RecordingDep):
    """Only a start without a completion (retract the completion first)."""
    return await _record(RetractStart, body, principal, recording, enrolment_id=enrolment_id)


@router.post("/enrolments/{enrolment_id}/completion", response_model=EnrolmentRecorded, **CREATED)
async def complete(enrolment_id: UUID, body: Completion, principal: Recorder, recording: RecordingDep):
    return await _record(CompleteEnrolment, body, principal, recording, enrolment_id=enrolment_id)


@router.post("/enrolments/{enrolment_id}/completion/correction", response_model=EnrolmentRecorded)
async def correct_completion(enrolment_id: UUID, body: Completion, principal: Recorder, recording: RecordingDep):
    return await _record(CorrectCompletion, body, principal, recording, enrolment_id=enrolment_id)


@router.post("/enrolments/{enrolment_id}/completion/retraction", response_model=EnrolmentRecorded)
async def retract_completion(enrolment_id: UUID, body: Withdrawal, principal: Recorder, recording: RecordingDep):
    return await _record(RetractCompletion, body, principal, recording, enrolment_id=enrolment_id)


# Import rows are the commands: an enrolment row names its `scheme_id`, a completion row its `enrolment_id`.
import_route(router, "/schemes/import", command=OpenScheme, apply=handlers.add_scheme, what="schemes")
import_route(router, "/enrolments/import", command=EnrolParticipant, apply=handlers.add_enrolment,
             what="enrolments")
import_route(router, "/completions/import", command=CompleteEnrolment, apply=handlers.add_completion,
             what="completions")
