"""One function per use case: command -> domain -> rows and events in one transaction.
`may_record(region)` refuses a caller who may not write the region; a record of a region the
caller may not write is not found (a refusal would tell that it exists)."""

from collections.abc import Callable
from uuid import UUID

from iq_contracts.base import IntegrationEvent
from iq_contracts.events.stakeholders import ConsultationCorrected, ConsultationHeld, EventHeld
from iq_runtime.context import HandlerContext
from iq_runtime.errors import Forbidden

from . import domain
from .commands import RecordActivity, RecordConsultation, RegisterOrganisation, Retract

MayRecord = Callable[[str], None]


def _visible(current: dict | None, may_record: MayRecord) -> dict | None:
    return current if current is None or _may(current["region"], may_record) else None


def _may(region: str, may_record: MayRecord) -> bool:
    try:
        may_record(region)
    except Forbidden:
        return False
    return True


def _clock(ctx: HandlerContext) -> domain.Clock:
    return domain.Clock(instance_region=ctx.region, today=ctx.today(), now=ctx.now())


async def register_organisation(cmd: RegisterOrganisation, uow, ctx: HandlerContext) -> domain.Organisation:
    async with uow:
        taken = await uow.organisations.find(cmd.region, cmd.code) is not None
        organisation = domain.organisation(cmd, taken=taken, clock=_clock(ctx))
        await uow.organisations.add(organisation, registered_at=ctx.now())
        await uow.commit()
    return organisation


async def correct_organisation(organisation_id: UUID, cmd: RegisterOrganisation, uow, ctx: HandlerContext,
                               may_record: MayRecord) -> tuple[domain.Organisation, list[ConsultationCorrected]]:
    """The organisation's corrected code, type and name. A corrected type changes the group its
    consultations count for: each standing one is corrected with it, in the same transaction."""
    async with uow:
        current = await uow.organisations.get(organisation_id, for_correction=True)
        current = current if current is None or _may(current.region, may_record) else None
        may_record(current.region if current else cmd.region)
        taken = (current is not None and cmd.code != current.code
                 and await uow.organisations.find(cmd.region, cmd.code) is not None)
        clock = _clock(ctx)
        organisation = domain.organisation_corrected(organisation_id, current, cmd, taken=taken, clock=clock)
        await uow.organisations.correct(organisation, corrected_at=clock.now)
        corrections = []
        if organisation.type != current.type:
            for consultation in await uow.consultations.standing_of(organisation_id):
                event = domain.consultation_reclassified(consultation, organisation, clock)
                await uow.consultations.correct(event)
                uow.publish(event)
                corrections.append(event)
        await uow.commit()
    return organisation, corrections


async def record_activity(cmd: RecordActivity, uow, ctx: HandlerContext) -> EventHeld:
    async with uow:
        event = await add_activity(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_activity(cmd: RecordActivity, uow, ctx: HandlerContext) -> EventHeld:
    """The body of `record_activity` inside an open unit of work (bulk import)."""
    event = domain.event_held(cmd, _clock(ctx))
    await uow.activities.add(event)
    uow.publish(event)
    return event


async def correct_activity(activity_id: UUID, cmd: RecordActivity, uow, ctx: HandlerContext,
                           may_record: MayRecord) -> IntegrationEvent:
    async with uow:
        current = _visible(await uow.activities.get(activity_id), may_record)
        may_record(current["region"] if current else cmd.region)
        event = domain.event_corrected(activity_id, current, cmd, _clock(ctx))
        await uow.activities.correct(event)
        uow.publish(event)
        await uow.commit()
    return event


async def retract_activity(activity_id: UUID, cmd: Retract, uow, ctx: HandlerContext,
                           may_record: MayRecord) -> IntegrationEvent:
    async with uow:
        current = _visible(await uow.activities.get(activity_id), may_record)
        event = domain.event_retracted(activity_id, current, cmd, _clock(ctx))
        await uow.activities.retract(event)
        uow.publish(event)
        await uow.commit()
    return event


async def _organisation_of(cmd: RecordConsultation, uow) -> domain.Organisation | None:
    """The organisation the consultation names; None for none found, or a body that names both
    or neither (the domain refuses it, after the caller's region is checked)."""
    if not domain.names_one_organisation(cmd):
        return None
    if cmd.organisation_id is not None:
        return await uow.organisations.get(cmd.organisation_id)
    return await uow.organisations.find(cmd.region, cmd.organisation_code)


async def record_consultation(cmd: RecordConsultation, uow, ctx: HandlerContext) -> ConsultationHeld:
    async with uow:
        event = await add_consultation(cmd, uow, ctx)
        await uow.commit()
    return event


async def add_consultation(cmd: RecordConsultation, uow, ctx: HandlerContext) -> ConsultationHeld:
    """The body of `record_consultation` inside an open unit of work (bulk import)."""
    event = domain.consultation_held(cmd, await _organisation_of(cmd, uow), _clock(ctx))
    await uow.consultations.add(event)
    uow.publish(event)
    return event


async def correct_consultation(consultation_id: UUID, cmd: RecordConsultation, uow, ctx: HandlerContext,
                               may_record: MayRecord) -> IntegrationEvent:
    async with uow:
        # the organisation before the consultation, in the order a correction of the
        # organisation locks them (PostgreSQL): opposite orders could deadlock
        organisation = await _organisation_of(cmd, uow)
        current = _visible(await uow.consultations.get(consultation_id), may_record)
        may_record(current["region"] if current else cmd.region)
        event = domain.consultation_corrected(consultation_id, current, cmd, organisation, _clock(ctx))
        await uow.consultations.correct(event)
        uow.publish(event)
        await uow.commit()
    return event


async def retract_consultation(consultation_id: UUID, cmd: Retract, uow, ctx: HandlerContext,
                               may_record: MayRecord) -> IntegrationEvent:
    async with uow:
        current = _visible(await uow.consultations.get(consultation_id), may_record)
        event = domain.consultation_retracted(consultation_id, current, cmd, _clock(ctx))
        await uow.consultations.retract(event)
        uow.publish(event)
        await uow.commit()
    return event
