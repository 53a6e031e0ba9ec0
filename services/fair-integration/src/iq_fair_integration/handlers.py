"""One function per use case: command -> domain -> rows and events in one transaction.
`add_*` are the bodies of the `record_*` handlers inside an open unit of work (bulk import).
`may_see(region)` hides records of other regions from the caller: they are not found."""

from collections.abc import Callable
from uuid import UUID

from iq_contracts.events.fair_integration import (
    AdviceCorrected,
    AdviceGiven,
    AdviceRetracted,
    EventCorrected,
    EventHeld,
    EventRetracted,
    ReferralRetracted,
    ReferredToFairMobility,
)
from iq_runtime.context import HandlerContext

from . import domain
from .commands import RecordAdviceSession, RecordGroupEvent, RecordReferral, Retract

MaySee = Callable[[str], bool]


def _anyone(_region: str) -> bool:
    return True


def _stamp(ctx: HandlerContext) -> domain.Stamp:
    return domain.Stamp(instance_region=ctx.region, today=ctx.today(), recorded_at=ctx.now())


async def _recorded(records, record_id: UUID, may_see: MaySee) -> domain.Recorded | None:
    current = await records.recorded(record_id)
    return current if current is not None and may_see(current.region) else None


# individual advice

async def record_advice_session(cmd: RecordAdviceSession, uow, ctx: HandlerContext) -> AdviceGiven:
    async with uow:
        event = await add_advice_session(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_advice_session(cmd: RecordAdviceSession, uow, ctx: HandlerContext) -> AdviceGiven:
    event = domain.advice_given(cmd, person_ref=ctx.pseudonymise(cmd.region, cmd.person_id), stamp=_stamp(ctx))
    await uow.advice_sessions.add(event, cmd.citizenship)
    uow.publish(event)
    return event


async def correct_advice_session(session_id: UUID, cmd: RecordAdviceSession, uow, ctx: HandlerContext,
                                 may_see: MaySee = _anyone) -> AdviceCorrected:
    async with uow:
        current = await _recorded(uow.advice_sessions, session_id, may_see)
        event = domain.advice_corrected(session_id, current, cmd,
                                        person_ref=ctx.pseudonymise(cmd.region, cmd.person_id), stamp=_stamp(ctx))
        await uow.advice_sessions.correct(event, cmd.citizenship)
        uow.publish(event)
        await uow.commit()
    return event


async def retract_advice_session(session_id: UUID, cmd: Retract, uow, ctx: HandlerContext,
                                 may_see: MaySee = _anyone) -> AdviceRetracted:
    return await _retract("advice_sessions", AdviceRetracted, "advice session", session_id, cmd, uow, ctx, may_see)


# group information events

async def record_group_event(cmd: RecordGroupEvent, uow, ctx: HandlerContext) -> EventHeld:
    async with uow:
        event = await add_group_event(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_group_event(cmd: RecordGroupEvent, uow, ctx: HandlerContext) -> EventHeld:
    event = domain.event_held(cmd, stamp=_stamp(ctx))
    await uow.group_events.add(event)
    uow.publish(event)
    return event


async def correct_group_event(activity_id: UUID, cmd: RecordGroupEvent, uow, ctx: HandlerContext,
                              may_see: MaySee = _anyone) -> EventCorrected:
    async with uow:
        current = await _recorded(uow.group_events, activity_id, may_see)
        event = domain.event_corrected(activity_id, current, cmd, stamp=_stamp(ctx))
        await uow.group_events.correct(event)
        uow.publish(event)
        await uow.commit()
    return event


async def retract_group_event(activity_id: UUID, cmd: Retract, uow, ctx: HandlerContext,
                              may_see: MaySee = _anyone) -> EventRetracted:
    return await _retract("group_events", EventRetracted, "group event", activity_id, cmd, uow, ctx, may_see)


# referrals to Fair Mobility

async def record_referral(cmd: RecordReferral, uow, ctx: HandlerContext) -> ReferredToFairMobility:
    async with uow:
        event = await add_referral(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_referral(cmd: RecordReferral, uow, ctx: HandlerContext) -> ReferredToFairMobility:
    event = domain.referred(cmd, person_ref=ctx.pseudonymise(cmd.region, cmd.person_id), stamp=_stamp(ctx))
    await uow.referrals.add(event)
    uow.publish(event)
    return event


async def retract_referral(referral_id: UUID, cmd: Retract, uow, ctx: HandlerContext,
                           may_see: MaySee = _anyone) -> ReferralRetracted:
    return await _retract("referrals", ReferralRetracted, "referral", referral_id, cmd, uow, ctx, may_see)


async def _retract(repository: str, kind, what: str, record_id: UUID, cmd: Retract, uow, ctx: HandlerContext,
                   may_see: MaySee):
    async with uow:
        records = getattr(uow, repository)
        current = await _recorded(records, record_id, may_see)
        event = domain.retracted(kind, record_id, current, cmd, what=what, stamp=_stamp(ctx))
        await records.retract(event)
        uow.publish(event)
        await uow.commit()
    return event
