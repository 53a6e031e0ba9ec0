"""Intercultural opening rules. Pure: no I/O, no clock, no framework."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from iq_contracts.codes import OpeningTopic, StakeholderType
from iq_contracts.events.stakeholders import (
    ConsultationCorrected,
    ConsultationHeld,
    ConsultationRetracted,
    EventCorrected,
    EventHeld,
    EventRetracted,
)
from iq_contracts.ids import new_id
from iq_contracts.regions import Region
from iq_runtime.activity_day import ensure_activity_day
from iq_runtime.errors import Conflict, NotFound, Rejected

from .commands import RecordActivity, RecordConsultation, RegisterOrganisation, Retract


@dataclass(frozen=True)
class Organisation:
    organisation_id: UUID
    region: str
    code: str
    type: StakeholderType
    name: str


@dataclass(frozen=True)
class Clock:
    """Where and when a command is handled: the instance's region, today in Berlin, now."""

    instance_region: str
    today: date
    now: datetime


def ensure_recorded_here(region: str, clock: Clock) -> None:
    if clock.instance_region not in ("national", region):
        raise Rejected("region", f"this instance records only {clock.instance_region}, not {region}")


def organisation(cmd: RegisterOrganisation, *, taken: bool, clock: Clock) -> Organisation:
    """A new stakeholder organisation; `taken` says its code is already used in the region."""
    ensure_recorded_here(cmd.region, clock)
    if taken:
        raise Conflict("code", f"{cmd.region} already has an organisation {cmd.code}")
    return Organisation(new_id(), cmd.region, cmd.code, cmd.type, cmd.name)


def organisation_corrected(organisation_id: UUID, current: Organisation | None, cmd: RegisterOrganisation, *,
                           taken: bool, clock: Clock) -> Organisation:
    """The whole corrected state of a registered organisation: its code, type and name. It
    stays in its region; `taken` says the new code is another organisation's."""
    if current is None:
        raise NotFound("organisation_id", f"no organisation {organisation_id} is registered")
    ensure_recorded_here(current.region, clock)
    if cmd.region != current.region:
        raise Rejected("region", f"the organisation is registered in {current.region}; register it in "
                                 f"{cmd.region} instead")
    if taken:
        raise Conflict("code", f"{cmd.region} already has an organisation {cmd.code}")
    return Organisation(organisation_id, current.region, cmd.code, cmd.type, cmd.name)


def consultation_reclassified(current: Mapping, organisation: Organisation, clock: Clock) -> ConsultationCorrected:
    """A standing consultation of an organisation whose type was corrected: counted under the
    corrected type and group from now on (figures as of earlier days stay as they were)."""
    return ConsultationCorrected(
        consultation_id=current["consultation_id"], event_id=new_id(), region=Region(current["region"]),
        occurred_on=current["occurred_on"], recorded_at=clock.now, organisation_id=organisation.organisation_id,
        organisation_type=organisation.type, target_group=organisation.type.group, topic=OpeningTopic(current["topic"]))


def _ensure_open(what: str, field: str, record_id: UUID, current: Mapping | None) -> Mapping:
    """The current state of a record that may still be corrected or retracted."""
    if current is None:
        raise NotFound(field, f"no {what} {record_id}")
    if current["retracted_at"] is not None:
        raise Conflict(field, f"{what} {record_id} was retracted on {current['retracted_at']:%Y-%m-%d}; "
                              "record it anew instead")
    return current


def _ensure_same_region(current: Mapping, region: str) -> None:
    # A record moves region only by retraction (wrong_region) and recording it anew there.
    if current["region"] != region:
        raise Rejected("region", f"the record belongs to {current['region']}; retract it as wrong_region "
                                 f"and record it in {region} instead")


def _activity(cmd: RecordActivity, clock: Clock) -> dict:
    ensure_recorded_here(cmd.region, clock)
    ensure_activity_day("held_on", cmd.held_on, clock.today)
    return dict(event_id=new_id(), region=cmd.region, occurred_on=cmd.held_on, recorded_at=clock.now,
                format=cmd.format, target_group=cmd.target_group, topic=cmd.topic, participants=cmd.participants)


def event_held(cmd: RecordActivity, clock: Clock) -> EventHeld:
    return EventHeld(activity_id=new_id(), **_activity(cmd, clock))


def event_corrected(activity_id: UUID, current: Mapping | None, cmd: RecordActivity,
                    clock: Clock) -> EventCorrected:
    _ensure_same_region(_ensure_open("activity", "activity_id", activity_id, current), cmd.region)
    return EventCorrected(activity_id=activity_id, **_activity(cmd, clock))


def event_retracted(activity_id: UUID, current: Mapping | None, cmd: Retract, clock: Clock) -> EventRetracted:
    current = _ensure_open("activity", "activity_id", activity_id, current)
    ensure_recorded_here(current["region"], clock)
    return EventRetracted(event_id=new_id(), region=Region(current["region"]), occurred_on=current["occurred_on"],
                          recorded_at=clock.now, activity_id=activity_id, reason=cmd.reason)


def names_one_organisation(cmd: RecordConsultation) -> bool:
    return (cmd.organisation_id is None) != (cmd.organisation_code is None)


def _consultation(cmd: RecordConsultation, organisation: Organisation | None, clock: Clock) -> dict:
    ensure_recorded_here(cmd.region, clock)
    ensure_activity_day("held_on", cmd.held_on, clock.today)
    if not names_one_organisation(cmd):
        raise Rejected("organisation_id", "give either organisation_id or organisation_code")
    field, reference = (("organisation_id", cmd.organisation_id) if cmd.organisation_id
                        else ("organisation_code", cmd.organisation_code))
    if organisation is None:
        raise NotFound(field, f"no organisation {reference} is registered")
    if organisation.region != cmd.region:
        raise Rejected(field, f"organisation {reference} is registered in {organisation.region}, not {cmd.region}")
    return dict(event_id=new_id(), region=cmd.region, occurred_on=cmd.held_on, recorded_at=clock.now,
                organisation_id=organisation.organisation_id, organisation_type=organisation.type,
                target_group=organisation.type.group, topic=cmd.topic)


def consultation_held(cmd: RecordConsultation, organisation: Organisation | None,
                      clock: Clock) -> ConsultationHeld:
    return ConsultationHeld(consultation_id=new_id(), **_consultation(cmd, organisation, clock))


def consultation_corrected(consultation_id: UUID, current: Mapping | None, cmd: RecordConsultation,
                           organisation: Organisation | None, clock: Clock) -> ConsultationCorrected:
    _ensure_same_region(_ensure_open("consultation", "consultation_id", consultation_id, current), cmd.region)
    return ConsultationCorrected(consultation_id=consultation_id, **_consultation(cmd, organisation, clock))


def consultation_retracted(consultation_id: UUID, current: Mapping | None, cmd: Retract,
                           clock: Clock) -> ConsultationRetracted:
    current = _ensure_open("consultation", "consultation_id", consultation_id, current)
    ensure_recorded_here(current["region"], clock)
    return ConsultationRetracted(event_id=new_id(), region=Region(current["region"]),
                                 occurred_on=current["occurred_on"], recorded_at=clock.now,
                                 consultation_id=consultation_id, reason=cmd.reason)
