"""Rules for a participant: commencing a scheme (`SchemeStarted`), finishing it
(`SchemeCompleted`), and correcting or retracting either."""

from datetime import date, datetime

from iq_contracts.codes import SchemeFormat
from iq_contracts.events.training import (
    EsfAttributes,
    SchemeCompleted,
    SchemeCompletionCorrected,
    SchemeCompletionRetracted,
    SchemeStartCorrected,
    SchemeStarted,
    SchemeStartRetracted,
)
from iq_contracts.ids import new_id
from iq_runtime.activity_day import ensure_activity_day
from iq_runtime.errors import Conflict, Rejected

from ..commands import (
    CompleteEnrolment,
    CorrectCompletion,
    CorrectStart,
    EnrolParticipant,
    Participation,
    RetractCompletion,
    RetractStart,
)
from . import Enrolment, Scheme, current_enrolment, current_scheme, ensure_recorded_here


def participant_started(cmd: EnrolParticipant, scheme: Scheme | None, participants: list[Enrolment], *,
                        person_ref: str, instance_region: str, today: date, recorded_at: datetime) -> SchemeStarted:
    """One participant commenced; the start repeats the scheme's format, measure and occupation."""
    ensure_recorded_here(cmd.region, instance_region)
    scheme = current_scheme(scheme, cmd.scheme_id, cmd.region)
    _check_start(cmd, scheme, today, completed_on=None)
    _check_place(scheme, participants, person_ref)
    return SchemeStarted(**_start(cmd, scheme, person_ref), event_id=new_id(), recorded_at=recorded_at,
                         enrolment_id=new_id())


def start_corrected(cmd: CorrectStart, enrolment: Enrolment | None, scheme: Scheme | None,
                    participants: list[Enrolment], *, person_ref: str, instance_region: str, today: date,
                    recorded_at: datetime) -> list[SchemeStartCorrected | SchemeCompletionCorrected]:
    """The corrected start and, if the start day moved, the completion that repeats it."""
    ensure_recorded_here(cmd.region, instance_region)
    enrolment = current_enrolment(enrolment, cmd.enrolment_id, cmd.region)
    _check_start(cmd, scheme, today, completed_on=enrolment.completed_on)
    _check_place(scheme, [p for p in participants if p.enrolment_id != enrolment.enrolment_id], person_ref)
    events = [SchemeStartCorrected(**_start(cmd, scheme, person_ref), event_id=new_id(), recorded_at=recorded_at,
                                   enrolment_id=enrolment.enrolment_id)]
    if enrolment.completed_on and enrolment.started_on != cmd.started_on:
        events.append(SchemeCompletionCorrected(
            event_id=new_id(), region=enrolment.region, occurred_on=enrolment.completed_on, recorded_at=recorded_at,
            enrolment_id=enrolment.enrolment_id, scheme_id=enrolment.scheme_id, started_on=cmd.started_on,
            outcome=enrolment.outcome))
    return events


def start_retracted(cmd: RetractStart, enrolment: Enrolment | None, *, instance_region: str,
                    recorded_at: datetime) -> SchemeStartRetracted:
    """A start with a completion stays until the completion is retracted: each event the
    figures count is withdrawn by an event of its own."""
    ensure_recorded_here(cmd.region, instance_region)
    enrolment = current_enrolment(enrolment, cmd.enrolment_id, cmd.region)
    if enrolment.completed_on:
        raise Conflict("enrolment_id", f"enrolment {enrolment.enrolment_id} has a completion; retract it first")
    return SchemeStartRetracted(event_id=new_id(), region=enrolment.region, occurred_on=enrolment.started_on,
                                recorded_at=recorded_at, reason=cmd.reason, enrolment_id=enrolment.enrolment_id,
                                scheme_id=enrolment.scheme_id)


def participant_completed(cmd: CompleteEnrolment, enrolment: Enrolment | None, *, instance_region: str,
                          today: date, recorded_at: datetime) -> SchemeCompleted:
    ensure_recorded_here(cmd.region, instance_region)
    enrolment = current_enrolment(enrolment, cmd.enrolment_id, cmd.region)
    if enrolment.completed_on:
        raise Conflict("enrolment_id", f"enrolment {enrolment.enrolment_id} was already completed on "
                                       f"{enrolment.completed_on} ({enrolment.outcome}); correct that completion")
    _check_completion(cmd.completed_on, enrolment, today)
    return SchemeCompleted(**_completion(cmd, enrolment, recorded_at))


def completion_corrected(cmd: CorrectCompletion, enrolment: Enrolment | None, *, instance_region: str,
                         today: date, recorded_at: datetime) -> SchemeCompletionCorrected:
    ensure_recorded_here(cmd.region, instance_region)
    enrolment = _completed(current_enrolment(enrolment, cmd.enrolment_id, cmd.region))
    _check_completion(cmd.completed_on, enrolment, today)
    return SchemeCompletionCorrected(**_completion(cmd, enrolment, recorded_at))


def completion_retracted(cmd: RetractCompletion, enrolment: Enrolment | None, *, instance_region: str,
                         recorded_at: datetime) -> SchemeCompletionRetracted:
    ensure_recorded_here(cmd.region, instance_region)
    enrolment = _completed(current_enrolment(enrolment, cmd.enrolment_id, cmd.region))
    return SchemeCompletionRetracted(event_id=new_id(), region=enrolment.region, occurred_on=enrolment.completed_on,
                                     recorded_at=recorded_at, reason=cmd.reason,
                                     enrolment_id=enrolment.enrolment_id, scheme_id=enrolment.scheme_id)


def _check_start(cmd: Participation, scheme: Scheme, today: date, completed_on: date | None) -> None:
    ensure_activity_day("started_on", cmd.started_on, today)
    if cmd.started_on < scheme.starts_on:
        raise Rejected("started_on", f"{cmd.started_on} is before the scheme started ({scheme.starts_on})")
    if completed_on and cmd.started_on > completed_on:
        raise Rejected("started_on", f"{cmd.started_on} is after the completion on {completed_on}")


def _check_place(scheme: Scheme, others: list[Enrolment], person_ref: str) -> None:
    """`others`: the scheme's current participants besides the one at hand."""
    if any(other.person_ref == person_ref for other in others):
        raise Conflict("person_id", f"this person is already enrolled in scheme {scheme.scheme_id}")
    if scheme.format is SchemeFormat.INDIVIDUAL and others:
        raise Conflict("scheme_id", f"scheme {scheme.scheme_id} is individually tailored and has its participant")


def _completed(enrolment: Enrolment) -> Enrolment:
    if not enrolment.completed_on:
        raise Conflict("enrolment_id", f"enrolment {enrolment.enrolment_id} has no completion")
    return enrolment


def _check_completion(completed_on: date, enrolment: Enrolment, today: date) -> None:
    ensure_activity_day("completed_on", completed_on, today)
    if completed_on < enrolment.started_on:
        raise Rejected("completed_on", f"{completed_on} is before the start on {enrolment.started_on}")


def _start(cmd: Participation, scheme: Scheme, person_ref: str) -> dict:
    return dict(region=scheme.region, occurred_on=cmd.started_on, scheme_id=scheme.scheme_id, format=scheme.format,
                measure_type=scheme.measure_type, occupation=scheme.occupation, person_ref=person_ref,
                esf=EsfAttributes(**cmd.esf.model_dump()))


def _completion(cmd: CompleteEnrolment | CorrectCompletion, enrolment: Enrolment, recorded_at: datetime) -> dict:
    return dict(event_id=new_id(), region=enrolment.region, occurred_on=cmd.completed_on, recorded_at=recorded_at,
                enrolment_id=enrolment.enrolment_id, scheme_id=enrolment.scheme_id, started_on=enrolment.started_on,
                outcome=cmd.outcome)
