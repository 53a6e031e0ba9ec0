"""One function per use case: command -> domain -> rows and events in one transaction.
`add_*` is a use case's body inside an open unit of work (bulk import runs it per row)."""

from iq_contracts.base import IntegrationEvent
from iq_runtime.context import HandlerContext

from .commands import (
    CompleteEnrolment,
    CorrectCompletion,
    CorrectScheme,
    CorrectStart,
    EnrolParticipant,
    OpenScheme,
    RetractCompletion,
    RetractScheme,
    RetractStart,
)
from .domain import participants, schemes


async def add_scheme(cmd: OpenScheme, uow, ctx: HandlerContext) -> IntegrationEvent:
    event = schemes.scheme_opened(cmd, instance_region=ctx.region, today=ctx.today(), recorded_at=ctx.now())
    await uow.record(event)
    return event


async def add_scheme_correction(cmd: CorrectScheme, uow, ctx: HandlerContext) -> IntegrationEvent:
    # its starts are corrected with it: locked, so a start retracted meanwhile is not corrected back
    events = schemes.scheme_corrected(cmd, await uow.schemes.get(cmd.scheme_id),
                                      await uow.enrolments.current_of(cmd.scheme_id, lock=True),
                                      instance_region=ctx.region, today=ctx.today(), recorded_at=ctx.now())
    await uow.record(*events)
    return events[0]


async def add_scheme_retraction(cmd: RetractScheme, uow, ctx: HandlerContext) -> IntegrationEvent:
    event = schemes.scheme_retracted(cmd, await uow.schemes.get(cmd.scheme_id),
                                     await uow.enrolments.current_of(cmd.scheme_id, lock=True),
                                     instance_region=ctx.region, recorded_at=ctx.now())
    await uow.record(event)
    return event


async def add_enrolment(cmd: EnrolParticipant, uow, ctx: HandlerContext) -> IntegrationEvent:
    event = participants.participant_started(
        cmd, await uow.schemes.get(cmd.scheme_id), await uow.enrolments.current_of(cmd.scheme_id),
        person_ref=ctx.pseudonymise(cmd.region, cmd.person_id), instance_region=ctx.region, today=ctx.today(),
        recorded_at=ctx.now())
    await uow.record(event)
    return event


async def add_start_correction(cmd: CorrectStart, uow, ctx: HandlerContext) -> IntegrationEvent:
    # the scheme's lock before the enrolment's, the order of every command that takes both
    # (a scheme correction locks its starts): no two can wait for each other
    scheme_id = await uow.enrolments.scheme_of(cmd.enrolment_id)
    scheme = await uow.schemes.get(scheme_id)
    enrolment = await uow.enrolments.get(cmd.enrolment_id)
    events = participants.start_corrected(
        cmd, enrolment, scheme, await uow.enrolments.current_of(scheme_id),
        person_ref=ctx.pseudonymise(cmd.region, cmd.person_id), instance_region=ctx.region, today=ctx.today(),
        recorded_at=ctx.now())
    await uow.record(*events)
    return events[0]


async def add_start_retraction(cmd: RetractStart, uow, ctx: HandlerContext) -> IntegrationEvent:
    event = participants.start_retracted(cmd, await uow.enrolments.get(cmd.enrolment_id),
                                         instance_region=ctx.region, recorded_at=ctx.now())
    await uow.record(event)
    return event


async def add_completion(cmd: CompleteEnrolment, uow, ctx: HandlerContext) -> IntegrationEvent:
    event = participants.participant_completed(cmd, await uow.enrolments.get(cmd.enrolment_id),
                                               instance_region=ctx.region, today=ctx.today(), recorded_at=ctx.now())
    await uow.record(event)
    return event


async def add_completion_correction(cmd: CorrectCompletion, uow, ctx: HandlerContext) -> IntegrationEvent:
    event = participants.completion_corrected(cmd, await uow.enrolments.get(cmd.enrolment_id),
                                              instance_region=ctx.region, today=ctx.today(), recorded_at=ctx.now())
    await uow.record(event)
    return event


async def add_completion_retraction(cmd: RetractCompletion, uow, ctx: HandlerContext) -> IntegrationEvent:
    event = participants.completion_retracted(cmd, await uow.enrolments.get(cmd.enrolment_id),
                                              instance_region=ctx.region, recorded_at=ctx.now())
    await uow.record(event)
    return event


ADD = {OpenScheme: add_scheme, CorrectScheme: add_scheme_correction, RetractScheme: add_scheme_retraction,
       EnrolParticipant: add_enrolment, CorrectStart: add_start_correction, RetractStart: add_start_retraction,
       CompleteEnrolment: add_completion, CorrectCompletion: add_completion_correction,
       RetractCompletion: add_completion_retraction}


async def handle(cmd, uow, ctx: HandlerContext) -> IntegrationEvent:
    """A single request: its use case in a transaction of its own; the event it is about."""
    async with uow:
        event = await ADD[type(cmd)](cmd, uow, ctx)
        await uow.commit()
    return event
