"""One function per use case: command -> domain -> rows and events in one transaction."""

from iq_contracts.events.counselling import AdviceGiven
from iq_runtime.context import HandlerContext

from . import domain
from .commands import RecordAdviceSession


async def record_advice_session(cmd: RecordAdviceSession, uow, ctx: HandlerContext) -> AdviceGiven:
    event = domain.advice_given(cmd, person_ref=ctx.pseudonymise(cmd.person_id),
                                instance_region=ctx.region, today=ctx.today(), recorded_at=ctx.now())
    async with uow:
        await uow.advice_sessions.add(event)
        uow.publish(event)
        await uow.commit()
    return event
