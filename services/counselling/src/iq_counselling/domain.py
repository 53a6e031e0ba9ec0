"""Counselling rules. Pure: no I/O, no clock, no framework."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from iq_contracts import countries, occupations
from iq_contracts.base import Occupation
from iq_contracts.codes import ContactPointType
from iq_contracts.events.counselling import AdviceCorrected, AdviceGiven, AdviceRetracted
from iq_contracts.ids import new_id
from iq_contracts.regions import Region
from iq_runtime.activity_day import ensure_activity_day
from iq_runtime.errors import Conflict, NotFound, Rejected

from .commands import CorrectAdviceSession, RecordAdviceSession, RetractAdviceSession


@dataclass(frozen=True)
class ContactPoint:
    region: str
    code: str
    type: ContactPointType
    opened_on: date
    closed_on: date | None = None
    retracted: bool = False


@dataclass(frozen=True)
class SessionOnRecord:
    """What the rules need to know about a session recorded earlier."""

    session_id: UUID
    region: str
    occurred_on: date
    retracted: bool = False


def ensure_recorded_here(region: str, instance_region: str) -> None:
    if instance_region not in ("national", region):
        raise Rejected("region", f"this instance records only {instance_region}, not {region}")


def advice_given(cmd: RecordAdviceSession, *, contact_point: ContactPoint | None, person_ref: str,
                 instance_region: str, today: date, recorded_at: datetime) -> AdviceGiven:
    """The event for a new advice session, if the session may be recorded here."""
    return AdviceGiven(**_valid_session(cmd, contact_point, instance_region, today), session_id=new_id(),
                       event_id=new_id(), recorded_at=recorded_at, person_ref=person_ref)


def advice_corrected(cmd: CorrectAdviceSession, *, current: SessionOnRecord | None,
                     contact_point: ContactPoint | None, person_ref: str, instance_region: str,
                     today: date, recorded_at: datetime, session_id: UUID) -> AdviceCorrected:
    """The whole corrected state of a session; its region stays (retract and record anew instead)."""
    current = _still_on_record(session_id, current, "correct")
    if cmd.region != current.region:
        raise Rejected("region", f"a correction keeps the session's region {current.region}; "
                                 "retract the session (wrong_region) and record it in the right region")
    return AdviceCorrected(**_valid_session(cmd, contact_point, instance_region, today), session_id=session_id,
                           event_id=new_id(), recorded_at=recorded_at, person_ref=person_ref)


def advice_retracted(cmd: RetractAdviceSession, *, current: SessionOnRecord | None, session_id: UUID,
                     instance_region: str, recorded_at: datetime) -> AdviceRetracted:
    current = _still_on_record(session_id, current, "retract")
    ensure_recorded_here(current.region, instance_region)
    # occurred_on repeats the withdrawn session's date: the figures of its period lose it
    return AdviceRetracted(event_id=new_id(), region=Region(current.region), occurred_on=current.occurred_on,
                           recorded_at=recorded_at, session_id=session_id, reason=cmd.reason)


def _still_on_record(session_id: UUID, current: SessionOnRecord | None, verb: str) -> SessionOnRecord:
    if current is None:
        raise NotFound("session_id", f"no advice session {session_id} to {verb}")
    if current.retracted:
        raise Conflict("session_id", f"advice session {session_id} was retracted; it cannot be {verb}ed again")
    return current


def _valid_session(cmd: RecordAdviceSession, contact_point: ContactPoint | None, instance_region: str,
                   today: date) -> dict:
    """The checked fields of a session, shared by recording and correcting it."""
    ensure_recorded_here(cmd.region, instance_region)
    ensure_activity_day("occurred_on", cmd.occurred_on, today)
    ensure_serving(contact_point, cmd.contact_point, cmd.region, cmd.occurred_on)
    if not countries.is_country(cmd.qualification_country):
        raise Rejected("qualification_country",
                       f"{cmd.qualification_country} is not an assigned ISO 3166-1 code (nor XK, Kosovo)")
    return dict(region=cmd.region, occurred_on=cmd.occurred_on, session_type=cmd.session_type, kind=cmd.kind,
                mode=cmd.mode, contact_point=cmd.contact_point, occupation=known_occupation(cmd.occupation),
                qualification_country=cmd.qualification_country, occupation_regulated=cmd.occupation_regulated)


def ensure_serving(contact_point: ContactPoint | None, code: str, region: str, day: date) -> None:
    """A session takes place at a contact point of its region that is open on that day."""
    if contact_point is None:
        raise Rejected("contact_point", f"{code} is not a registered contact point of {region}")
    if contact_point.retracted:
        raise Rejected("contact_point", f"{code} was retracted (recorded in error), so it holds no sessions")
    if day < contact_point.opened_on:
        raise Rejected("contact_point", f"{code} opened on {contact_point.opened_on}, after {day}")
    if contact_point.closed_on is not None and day > contact_point.closed_on:
        raise Rejected("contact_point", f"{code} was closed on {contact_point.closed_on} (its last day of service), "
                                        f"so it was not open on {day}")


def known_occupation(occupation: Occupation) -> Occupation:
    """The occupation as published: a listed KldB 2010 code, or a listed ISCO-08 code mapped
    to KldB 2010 where the shipped mapping has it."""
    if not occupations.known(occupation):
        kldb = occupation.classification is occupations.KLDB
        listed = "a KldB 2010 Berufsgattung" if kldb else "an ISCO-08 unit group"
        raise Rejected("occupation.code", f"{occupation.code} is not {listed} in the shipped list")
    return occupations.normalised(occupation)
