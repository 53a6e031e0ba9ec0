"""One function per use case: command -> domain -> rows and events in one transaction."""

from functools import partial
from uuid import UUID

from iq_contracts.events import counselling as events
from iq_runtime.context import HandlerContext

from . import contact_points, domain
from .commands import (
    CloseContactPoint,
    CorrectAdviceSession,
    CorrectContactPoint,
    OpenContactPoint,
    RecordAdviceSession,
    RetractAdviceSession,
    RetractContactPoint,
)


async def record_advice_session(cmd: RecordAdviceSession, uow, ctx: HandlerContext) -> events.AdviceGiven:
    async with uow:
        event = await add_advice_session(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_advice_session(cmd: RecordAdviceSession, uow, ctx: HandlerContext) -> events.AdviceGiven:
    """The body of `record_advice_session` inside an open unit of work (bulk import)."""
    event = domain.advice_given(cmd, contact_point=await uow.contact_points.get(cmd.region, cmd.contact_point),
                                person_ref=ctx.pseudonymise(cmd.region, cmd.person_id), instance_region=ctx.region,
                                today=ctx.today(), recorded_at=ctx.now())
    await uow.advice_sessions.add(event)
    uow.publish(event)
    return event


async def correct_advice_session(session_id: UUID, cmd: CorrectAdviceSession, uow,
                                 ctx: HandlerContext) -> events.AdviceCorrected:
    async with uow:
        event = domain.advice_corrected(
            cmd, current=await uow.advice_sessions.on_record(session_id), session_id=session_id,
            contact_point=await uow.contact_points.get(cmd.region, cmd.contact_point),
            person_ref=ctx.pseudonymise(cmd.region, cmd.person_id), instance_region=ctx.region, today=ctx.today(),
            recorded_at=ctx.now())
        await uow.advice_sessions.correct(event)
        uow.publish(event)
        await uow.commit()
    return event


async def retract_advice_session(session_id: UUID, cmd: RetractAdviceSession, uow,
                                 ctx: HandlerContext) -> events.AdviceRetracted:
    async with uow:
        event = domain.advice_retracted(cmd, current=await uow.advice_sessions.on_record(session_id),
                                        session_id=session_id, instance_region=ctx.region, recorded_at=ctx.now())
        await uow.advice_sessions.retract(event)
        uow.publish(event)
        await uow.commit()
    return event


async def open_contact_point(cmd: OpenContactPoint, uow, ctx: HandlerContext) -> events.ContactPointOpened:
    async with uow:
        event = await add_contact_point(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_contact_point(cmd: OpenContactPoint, uow, ctx: HandlerContext) -> events.ContactPointOpened:
    """The body of `open_contact_point` inside an open unit of work (bulk import)."""
    event = contact_points.contact_point_opened(cmd, existing=await uow.contact_points.get(cmd.region, cmd.code),
                                                instance_region=ctx.region, today=ctx.today(),
                                                recorded_at=ctx.now())
    await uow.contact_points.add(event)
    uow.publish(event)
    return event


async def close_contact_point(region: str, code: str, cmd: CloseContactPoint, uow,
                              ctx: HandlerContext) -> events.ContactPointClosed:
    return await _changed(uow, region, code, "close", partial(
        contact_points.contact_point_closed, cmd, region=region, code=code, instance_region=ctx.region,
        today=ctx.today(), recorded_at=ctx.now()))


async def correct_contact_point(region: str, code: str, cmd: CorrectContactPoint, uow,
                                ctx: HandlerContext) -> events.ContactPointCorrected:
    return await _changed(uow, region, code, "correct", partial(
        contact_points.contact_point_corrected, cmd, region=region, code=code, instance_region=ctx.region,
        today=ctx.today(), recorded_at=ctx.now()))


async def retract_contact_point(region: str, code: str, cmd: RetractContactPoint, uow,
                                ctx: HandlerContext) -> events.ContactPointRetracted:
    return await _changed(uow, region, code, "retract", partial(
        contact_points.contact_point_retracted, cmd, region=region, code=code, instance_region=ctx.region,
        recorded_at=ctx.now()))


async def _changed(uow, region: str, code: str, change: str, rule):
    """A contact point's closure, correction or retraction: `rule` decides on the contact point
    and the days of its sessions on record, `change` names the store's method for the event."""
    async with uow:
        event = rule(contact_point=await uow.contact_points.get(region, code),
                     sessions=await uow.advice_sessions.session_days(region, code))
        await getattr(uow.contact_points, change)(event)
        uow.publish(event)
        await uow.commit()
    return event
