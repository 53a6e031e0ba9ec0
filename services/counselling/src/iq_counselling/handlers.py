"""One function per use case: command -> domain -> rows and events in one transaction."""

from iq_contracts.events.counselling import AdviceGiven
from iq_runtime.context import HandlerContext

from . import domain
from .commands import RecordAdviceSession


async def record_advice_session(cmd: RecordAdviceSession, uow, ctx: HandlerContext) -> AdviceGiven:
    async with uow:
        event = await add_advice_session(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_advice_session(cmd: RecordAdviceSession, uow, ctx: HandlerContext) -> AdviceGiven:
    """The body of `record_advice_session` inside an open unit of work (bulk import)."""
    event = domain.advice_given(cmd, person_ref=ctx.pseudonymise(cmd.person_id),
                                instance_region=ctx.region, today=ctx.today(), recorded_at=ctx.now())
    await uow.advice_sessions.add(event)
    uow.publish(event)
    return event
