"""HTTP for advice sessions: parse -> command -> handler -> response."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from iq_contracts.codes import AdviceKind, AdviceMode, RetractionReason, SessionType
from iq_contracts.regions import Region
from iq_runtime.auth import Analyst, Principal, Recorder
from iq_runtime.errors import NotFound
from iq_runtime.paging import Page, PagingDep, page, visible_to
from iq_runtime.record_route import RecordRoute
from iq_runtime.recording import Recording, RecordingDep, ensure_may_record, import_route, json_response

from . import handlers
from .commands import AdviceSessionRecorded, CorrectAdviceSession, RecordAdviceSession, RetractAdviceSession
from .store import advice_session_listing, advice_sessions

router = APIRouter(prefix="/v1", tags=["advice sessions"])


class AdviceSessionRetracted(BaseModel):
    session_id: UUID
    event_id: UUID
    reason: RetractionReason
    retracted_at: str


def _recorded(event) -> AdviceSessionRecorded:
    return AdviceSessionRecorded(session_id=event.session_id, event_id=event.event_id, region=event.region,
                                 occurred_on=event.occurred_on, recorded_at=event.recorded_at.isoformat())


async def record_advice_session(cmd: RecordAdviceSession, principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, cmd.region)
    event = await handlers.record_advice_session(cmd, recording.unit_of_work(), recording.context)
    # the hot path of recording: the model serialises itself; FastAPI would validate it again
    return json_response(_recorded(event), status.HTTP_201_CREATED)


router.add_api_route("/advice-sessions", record_advice_session, methods=["POST"], route_class_override=RecordRoute,
                     status_code=status.HTTP_201_CREATED, response_model=AdviceSessionRecorded)


@router.post("/advice-sessions/{session_id}/correction", response_model=AdviceSessionRecorded,
             summary="replace a session's recorded state with the whole corrected state (AdviceCorrected)")
async def correct_advice_session(session_id: UUID, cmd: CorrectAdviceSession, principal: Recorder,
                                 recording: RecordingDep):
    await _visible_session(session_id, principal, recording)
    ensure_may_record(principal, cmd.region)
    event = await handlers.correct_advice_session(session_id, cmd, recording.unit_of_work(), recording.context)
    return _recorded(event)


@router.post("/advice-sessions/{session_id}/retraction", response_model=AdviceSessionRetracted,
             summary="withdraw a session recorded in error (AdviceRetracted)")
async def retract_advice_session(session_id: UUID, cmd: RetractAdviceSession, principal: Recorder,
                                 recording: RecordingDep):
    await _visible_session(session_id, principal, recording)
    event = await handlers.retract_advice_session(session_id, cmd, recording.unit_of_work(), recording.context)
    return AdviceSessionRetracted(session_id=event.session_id, event_id=event.event_id, reason=event.reason,
                                  retracted_at=event.recorded_at.isoformat())


@router.get("/advice-sessions", response_model=Page[dict])
async def list_advice_sessions(
    principal: Analyst, recording: RecordingDep, paging: PagingDep,
    occurred_from: Annotated[date | None, Query(alias="from", description="occurred on or after")] = None,
    occurred_to: Annotated[date | None, Query(alias="to", description="occurred on or before")] = None,
    region: Region | None = None, kind: AdviceKind | None = None, mode: AdviceMode | None = None,
    session_type: SessionType | None = None, contact_point: str | None = None,
):
    query = advice_session_listing(occurred_from=occurred_from, occurred_to=occurred_to, region=region,
                                   kind=kind, mode=mode, session_type=session_type, contact_point=contact_point)
    async with recording.unit_of_work() as uow:
        return await page(uow.connection, visible_to(query, advice_sessions.c.region, principal), paging,
                          advice_sessions.c.occurred_on, advice_sessions.c.session_id)


@router.get("/advice-sessions/{session_id}", summary="a session's current state, and whether it was retracted")
async def get_advice_session(session_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await _visible_session(session_id, principal, recording)


async def _visible_session(session_id: UUID, principal: Principal, recording: Recording) -> dict:
    # A session's region never changes, so checking it before the handler's transaction is safe.
    async with recording.unit_of_work() as uow:
        found = await uow.advice_sessions.get(session_id)
    if found is None or not principal.may_see(found["region"]):
        raise NotFound("session_id", f"no advice session {session_id} in your region")
    return found


import_route(router, "/advice-sessions/import", command=RecordAdviceSession, apply=handlers.add_advice_session,
             what="advice sessions")
