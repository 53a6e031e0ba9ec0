"""HTTP: parse -> command -> handler -> response."""

from uuid import UUID

from fastapi import APIRouter, status

from iq_runtime.auth import Analyst, Recorder
from iq_runtime.errors import NotFound
from iq_runtime.recording import RecordingDep, ensure_may_record, import_route

from . import handlers
from .commands import AdviceSessionRecorded, RecordAdviceSession

router = APIRouter(prefix="/v1", tags=["advice sessions"])


@router.post("/advice-sessions", status_code=status.HTTP_201_CREATED, response_model=AdviceSessionRecorded)
async def record_advice_session(cmd: RecordAdviceSession, principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, cmd.region)
    event = await handlers.record_advice_session(cmd, recording.unit_of_work(), recording.context)
    return AdviceSessionRecorded(session_id=event.session_id, event_id=event.event_id, region=event.region,
                                 occurred_on=event.occurred_on, recorded_at=event.recorded_at.isoformat())


@router.get("/advice-sessions/{session_id}")
async def get_advice_session(session_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    async with recording.unit_of_work() as uow:
        found = await uow.advice_sessions.get(session_id)
    if found is None or not principal.may_see(found["region"]):
        raise NotFound("session_id", f"no advice session {session_id} in your region")
    return found


import_route(router, "/advice-sessions/import", command=RecordAdviceSession, apply=handlers.add_advice_session,
             what="advice sessions")
