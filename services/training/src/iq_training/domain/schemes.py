"""Rules for schemes: opening one, correcting it (its participants' starts follow), retracting it."""

from datetime import date, datetime

from iq_contracts.codes import SchemeFormat
from iq_contracts.events.training import SchemeCorrected, SchemeOpened, SchemeRetracted, SchemeStartCorrected
from iq_contracts.ids import new_id
from iq_runtime.activity_day import ensure_activity_day
from iq_runtime.errors import Conflict, Rejected

from ..commands import CorrectScheme, OpenScheme, RetractScheme, SchemeDetails
from . import Enrolment, Scheme, current_scheme, ensure_recorded_here


def scheme_opened(cmd: OpenScheme, *, instance_region: str, today: date, recorded_at: datetime) -> SchemeOpened:
    """The event for a new scheme; `occurred_on` is the day it started."""
    _check(cmd, instance_region, today)
    return SchemeOpened(event_id=new_id(), region=cmd.region, occurred_on=cmd.starts_on, recorded_at=recorded_at,
                        scheme_id=new_id(), format=cmd.format, measure_type=cmd.measure_type,
                        occupation=cmd.occupation, planned_end=cmd.planned_end)


def scheme_corrected(cmd: CorrectScheme, scheme: Scheme | None, participants: list[Enrolment], *,
                     instance_region: str, today: date,
                     recorded_at: datetime) -> list[SchemeCorrected | SchemeStartCorrected]:
    """The corrected scheme and, because each start repeats the scheme's format, measure type
    and occupation, a corrected start for every participant whose copy changes."""
    ensure_recorded_here(cmd.region, instance_region)
    scheme = current_scheme(scheme, cmd.scheme_id, cmd.region)
    _check(cmd, instance_region, today)
    if cmd.format is SchemeFormat.INDIVIDUAL and len(participants) > 1:
        raise Conflict("format", f"an individually tailored scheme has one participant; "
                                 f"scheme {scheme.scheme_id} has {len(participants)}")
    if (earliest := min((p.started_on for p in participants), default=cmd.starts_on)) < cmd.starts_on:
        raise Rejected("starts_on", f"a participant started on {earliest}, before {cmd.starts_on}")
    corrected = SchemeCorrected(event_id=new_id(), region=scheme.region, occurred_on=cmd.starts_on,
                                recorded_at=recorded_at, scheme_id=scheme.scheme_id, format=cmd.format,
                                measure_type=cmd.measure_type, occupation=cmd.occupation,
                                planned_end=cmd.planned_end)
    copied = (cmd.format, cmd.measure_type, cmd.occupation)
    return [corrected, *(
        SchemeStartCorrected(event_id=new_id(), region=p.region, occurred_on=p.started_on, recorded_at=recorded_at,
                             enrolment_id=p.enrolment_id, scheme_id=p.scheme_id, format=cmd.format,
                             measure_type=cmd.measure_type, occupation=cmd.occupation, person_ref=p.person_ref,
                             esf=p.esf)
        for p in participants if copied != (scheme.format, scheme.measure_type, scheme.occupation))]


def scheme_retracted(cmd: RetractScheme, scheme: Scheme | None, participants: list[Enrolment], *,
                     instance_region: str, recorded_at: datetime) -> SchemeRetracted:
    """A scheme with participants is not withdrawn under them: their starts are retracted
    first, so every event the figures count is withdrawn by an event of its own."""
    ensure_recorded_here(cmd.region, instance_region)
    scheme = current_scheme(scheme, cmd.scheme_id, cmd.region)
    if participants:
        raise Conflict("scheme_id", f"scheme {scheme.scheme_id} has {len(participants)} participant(s); "
                                    "retract their starts first")
    return SchemeRetracted(event_id=new_id(), region=scheme.region, occurred_on=scheme.starts_on,
                           recorded_at=recorded_at, reason=cmd.reason, scheme_id=scheme.scheme_id)


def _check(cmd: SchemeDetails, instance_region: str, today: date) -> None:
    ensure_recorded_here(cmd.region, instance_region)
    ensure_activity_day("starts_on", cmd.starts_on, today)
    if cmd.planned_end < cmd.starts_on:
        raise Rejected("planned_end", f"{cmd.planned_end} is before the start {cmd.starts_on}")
