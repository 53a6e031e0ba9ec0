"""Rules of the contact points (permanent and mobile advice centres). Pure: no I/O, no clock."""

from datetime import date, datetime

from iq_contracts.events.counselling import ContactPointClosed, ContactPointOpened
from iq_contracts.ids import new_id
from iq_contracts.regions import Region
from iq_runtime.errors import Conflict, NotFound, Rejected

from .commands import CloseContactPoint, OpenContactPoint
from .domain import ContactPoint, ensure_not_in_future, ensure_recorded_here


def contact_point_opened(cmd: OpenContactPoint, *, existing: ContactPoint | None, instance_region: str,
                         today: date, recorded_at: datetime) -> ContactPointOpened:
    ensure_recorded_here(cmd.region, instance_region)
    ensure_not_in_future("opened_on", cmd.opened_on, today)
    if existing is not None:
        # A code names one advice centre for good, so figures by contact point stay unambiguous.
        raise Conflict("code", f"{cmd.code} is already a contact point of {cmd.region} "
                               f"(opened on {existing.opened_on}); choose another code")
    return ContactPointOpened(event_id=new_id(), region=cmd.region, occurred_on=cmd.opened_on,
                              recorded_at=recorded_at, contact_point=cmd.code, contact_point_type=cmd.type)


def contact_point_closed(cmd: CloseContactPoint, *, region: str, code: str, contact_point: ContactPoint | None,
                         last_session_on: date | None, instance_region: str, today: date,
                         recorded_at: datetime) -> ContactPointClosed:
    """`last_session_on`: the latest day of a session on record at the contact point."""
    ensure_recorded_here(region, instance_region)
    if contact_point is None:
        raise NotFound("code", f"{code} is not a registered contact point of {region}")
    if contact_point.closed_on is not None:
        raise Conflict("code", f"{code} was already closed on {contact_point.closed_on}")
    ensure_not_in_future("closed_on", cmd.closed_on, today)
    if cmd.closed_on < contact_point.opened_on:
        raise Rejected("closed_on", f"{cmd.closed_on} is before {code} opened on {contact_point.opened_on}")
    if last_session_on is not None and last_session_on > cmd.closed_on:
        raise Rejected("closed_on", f"{code} has a session on {last_session_on}, after {cmd.closed_on}; "
                                    "correct or retract it first")
    return ContactPointClosed(event_id=new_id(), region=Region(region), occurred_on=cmd.closed_on,
                              recorded_at=recorded_at, contact_point=code)
