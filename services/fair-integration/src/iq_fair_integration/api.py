"""HTTP: parse -> command -> handler -> response. One router per record type; each has
POST (record), corrections, a retraction, a bulk import and the read API."""

from uuid import UUID

from fastapi import APIRouter, status

from iq_contracts.codes import LabourLawTopic, SessionType
from iq_runtime.auth import Analyst, Recorder
from iq_runtime.paging import Page, PagingDep
from iq_runtime.recording import RecordingDep, ensure_may_record, import_route

from . import handlers
from .commands import (
    AdviceSessionReceipt,
    GroupEventReceipt,
    RecordAdviceSession,
    RecordGroupEvent,
    RecordReferral,
    ReferralReceipt,
    Retract,
)
from .reading import InRegion, Since, Until, listing, one, receipt

advice = APIRouter(prefix="/v1/advice-sessions", tags=["individual advice"])


@advice.post("", status_code=status.HTTP_201_CREATED, response_model=AdviceSessionReceipt)
async def record_advice_session(cmd: RecordAdviceSession, principal: Recorder, recording: RecordingDep):
    """Advice to a refugee or third-country national. EU/EEA citizens are referred instead."""
    ensure_may_record(principal, cmd.region)
    event = await handlers.record_advice_session(cmd, recording.unit_of_work(), recording.context)
    return receipt(AdviceSessionReceipt, event)


@advice.post("/{session_id}/correction", response_model=AdviceSessionReceipt)
async def correct_advice_session(session_id: UUID, cmd: RecordAdviceSession, principal: Recorder,
                                 recording: RecordingDep):
    """The whole corrected state; published as `AdviceCorrected`."""
    ensure_may_record(principal, cmd.region)
    event = await handlers.correct_advice_session(session_id, cmd, recording.unit_of_work(), recording.context,
                                                  may_see=principal.may_see)
    return receipt(AdviceSessionReceipt, event)


@advice.post("/{session_id}/retraction", response_model=AdviceSessionReceipt)
async def retract_advice_session(session_id: UUID, cmd: Retract, principal: Recorder, recording: RecordingDep):
    event = await handlers.retract_advice_session(session_id, cmd, recording.unit_of_work(), recording.context,
                                                  may_see=principal.may_see)
    return receipt(AdviceSessionReceipt, event)


@advice.get("")
async def list_advice_sessions(principal: Analyst, recording: RecordingDep, paging: PagingDep, since: Since = None,
                               until: Until = None, region: InRegion = None, topic: LabourLawTopic | None = None,
                               session_type: SessionType | None = None) -> Page[dict]:
    return await listing(recording, principal, "advice_sessions", paging, since=since, until=until, region=region,
                         topic=topic, session_type=session_type)


@advice.get("/{session_id}")
async def get_advice_session(session_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await one(recording, principal, "advice_sessions", session_id, "advice session")


import_route(advice, "/import", command=RecordAdviceSession, apply=handlers.add_advice_session,
             what="advice sessions")


events = APIRouter(prefix="/v1/group-events", tags=["group information events"])


@events.post("", status_code=status.HTTP_201_CREATED, response_model=GroupEventReceipt)
async def record_group_event(cmd: RecordGroupEvent, principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, cmd.region)
    event = await handlers.record_group_event(cmd, recording.unit_of_work(), recording.context)
    return receipt(GroupEventReceipt, event)


@events.post("/{activity_id}/correction", response_model=GroupEventReceipt)
async def correct_group_event(activity_id: UUID, cmd: RecordGroupEvent, principal: Recorder,
                              recording: RecordingDep):
    """The whole corrected state; published as `EventCorrected`."""
    ensure_may_record(principal, cmd.region)
    event = await handlers.correct_group_event(activity_id, cmd, recording.unit_of_work(), recording.context,
                                               may_see=principal.may_see)
    return receipt(GroupEventReceipt, event)


@events.post("/{activity_id}/retraction", response_model=GroupEventReceipt)
async def retract_group_event(activity_id: UUID, cmd: Retract, principal: Recorder, recording: RecordingDep):
    event = await handlers.retract_group_event(activity_id, cmd, recording.unit_of_work(), recording.context,
                                               may_see=principal.may_see)
    return receipt(GroupEventReceipt, event)


@events.get("")
async def list_group_events(principal: Analyst, recording: RecordingDep, paging: PagingDep, since: Since = None,
                            until: Until = None, region: InRegion = None,
                            topic: LabourLawTopic | None = None) -> Page[dict]:
    return await listing(recording, principal, "group_events", paging, since=since, until=until, region=region,
                         topic=topic)


@events.get("/{activity_id}")
async def get_group_event(activity_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await one(recording, principal, "group_events", activity_id, "group event")


import_route(events, "/import", command=RecordGroupEvent, apply=handlers.add_group_event, what="group events")


referrals = APIRouter(prefix="/v1/referrals", tags=["referrals to Fair Mobility"])


@referrals.post("", status_code=status.HTTP_201_CREATED, response_model=ReferralReceipt)
async def record_referral(cmd: RecordReferral, principal: Recorder, recording: RecordingDep):
    """A citizen of an EU/EEA country referred to the Fair Mobility network (not advised here)."""
    ensure_may_record(principal, cmd.region)
    event = await handlers.record_referral(cmd, recording.unit_of_work(), recording.context)
    return receipt(ReferralReceipt, event)


@referrals.post("/{referral_id}/retraction", response_model=ReferralReceipt)
async def retract_referral(referral_id: UUID, cmd: Retract, principal: Recorder, recording: RecordingDep):
    event = await handlers.retract_referral(referral_id, cmd, recording.unit_of_work(), recording.context,
                                            may_see=principal.may_see)
    return receipt(ReferralReceipt, event)


@referrals.get("")
async def list_referrals(principal: Analyst, recording: RecordingDep, paging: PagingDep, since: Since = None,
                         until: Until = None, region: InRegion = None) -> Page[dict]:
    return await listing(recording, principal, "referrals", paging, since=since, until=until, region=region)


@referrals.get("/{referral_id}")
async def get_referral(referral_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await one(recording, principal, "referrals", referral_id, "referral")


import_route(referrals, "/import", command=RecordReferral, apply=handlers.add_referral, what="referrals")

routers = [advice, events, referrals]
