"""Rules of the contact points (permanent and mobile advice centres). Pure: no I/O, no clock."""

from datetime import date, datetime

from iq_contracts.events.counselling import (
    ContactPointClosed,
    ContactPointCorrected,
    ContactPointOpened,
    ContactPointRetracted,
)
from iq_contracts.ids import new_id
from iq_contracts.regions import Region
from iq_runtime.activity_day import ensure_activity_day
from iq_runtime.errors import Conflict, NotFound, Rejected

from .commands import CloseContactPoint, CorrectContactPoint, OpenContactPoint, RetractContactPoint
from .domain import ContactPoint, ensure_recorded_here

# (first, last) day of the sessions on record at a contact point (retracted ones left out)
SessionDays = tuple[date, date] | None


def contact_point_opened(cmd: OpenContactPoint, *, existing: ContactPoint | None, instance_region: str,
                         today: date, recorded_at: datetime) -> ContactPointOpened:
    ensure_recorded_here(cmd.region, instance_region)
    ensure_activity_day("opened_on", cmd.opened_on, today)
    if existing is not None:
        # A code names one advice centre for good, so figures by contact point stay unambiguous.
        raise Conflict("code", f"{cmd.code} is already a contact point of {cmd.region} "
                               f"(opened on {existing.opened_on}); choose another code")
    return ContactPointOpened(event_id=new_id(), region=cmd.region, occurred_on=cmd.opened_on,
                              recorded_at=recorded_at, contact_point=cmd.code, contact_point_type=cmd.type)


def contact_point_closed(cmd: CloseContactPoint, *, region: str, code: str, contact_point: ContactPoint | None,
                         sessions: SessionDays, instance_region: str, today: date,
                         recorded_at: datetime) -> ContactPointClosed:
    ensure_recorded_here(region, instance_region)
    _ensure_standing(contact_point, region, code)
    if contact_point.closed_on is not None:
        raise Conflict("code", f"{code} was already closed on {contact_point.closed_on}")
    ensure_activity_day("closed_on", cmd.closed_on, today)
    if cmd.closed_on < contact_point.opened_on:
        raise Rejected("closed_on", f"{cmd.closed_on} is before {code} opened on {contact_point.opened_on}")
    if sessions is not None and sessions[1] > cmd.closed_on:
        raise Rejected("closed_on", f"{code} has a session on {sessions[1]}, after {cmd.closed_on}; "
                                    "correct or retract it first")
    return ContactPointClosed(event_id=new_id(), region=Region(region), occurred_on=cmd.closed_on,
                              recorded_at=recorded_at, contact_point=code)


def contact_point_corrected(cmd: CorrectContactPoint, *, region: str, code: str, contact_point: ContactPoint | None,
                            sessions: SessionDays, instance_region: str, today: date,
                            recorded_at: datetime) -> ContactPointCorrected:
    """Its sessions on record must stay within the corrected days of service."""
    ensure_recorded_here(region, instance_region)
    _ensure_standing(contact_point, region, code)
    ensure_activity_day("opened_on", cmd.opened_on, today)
    if cmd.closed_on is not None:
        ensure_activity_day("closed_on", cmd.closed_on, today)
        if cmd.closed_on < cmd.opened_on:
            raise Rejected("closed_on", f"{cmd.closed_on} is before the opening day {cmd.opened_on}")
    if sessions is not None:
        first, last = sessions
        if first < cmd.opened_on:
            raise Rejected("opened_on", f"{code} has a session on {first}, before {cmd.opened_on}; "
                                        "correct or retract it first")
        if cmd.closed_on is not None and last > cmd.closed_on:
            raise Rejected("closed_on", f"{code} has a session on {last}, after {cmd.closed_on}; "
                                        "correct or retract it first")
    return ContactPointCorrected(event_id=new_id(), region=Region(region), occurred_on=cmd.opened_on,
                                 recorded_at=recorded_at, contact_point=code, contact_point_type=cmd.type,
                                 closed_on=cmd.closed_on)


def contact_point_retracted(cmd: RetractContactPoint, *, region: str, code: str, contact_point: ContactPoint | None,
                            sessions: SessionDays, instance_region: str,
                            recorded_at: datetime) -> ContactPointRetracted:
    """Only while no session stands there: a session needs its contact point."""
    ensure_recorded_here(region, instance_region)
    _ensure_standing(contact_point, region, code)
    if sessions is not None:
        raise Conflict("code", f"{code} has sessions on record from {sessions[0]} to {sessions[1]}; "
                               "retract them first")
    return ContactPointRetracted(event_id=new_id(), region=Region(region), occurred_on=contact_point.opened_on,
                                 recorded_at=recorded_at, contact_point=code, reason=cmd.reason)


def _ensure_standing(contact_point: ContactPoint | None, region: str, code: str) -> None:
    if contact_point is None:
        raise NotFound("code", f"{code} is not a registered contact point of {region}")
    if contact_point.retracted:
        raise Conflict("code", f"{code} was retracted (recorded in error)")
