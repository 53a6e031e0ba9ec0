"""Fair Integration rules. Pure: no I/O, no clock, no framework."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from iq_contracts.base import Retraction
from iq_contracts.countries import is_eu_eea
from iq_contracts.events.fair_integration import (
    AdviceCorrected,
    AdviceGiven,
    EventCorrected,
    EventHeld,
    ReferredToFairMobility,
)
from iq_contracts.ids import new_id
from iq_contracts.regions import Region
from iq_runtime.activity_day import ensure_activity_day
from iq_runtime.errors import Conflict, NotFound, Rejected

from .commands import RecordAdviceSession, RecordGroupEvent, RecordReferral, Retract

R = TypeVar("R", bound=Retraction)


@dataclass(frozen=True)
class Stamp:
    """Where and when a command is handled."""

    instance_region: str
    today: date
    recorded_at: datetime


@dataclass(frozen=True)
class Recorded:
    """What the rules need to know of a record recorded earlier."""

    region: str
    occurred_on: date
    retracted: bool


def advice_given(cmd: RecordAdviceSession, *, person_ref: str, stamp: Stamp) -> AdviceGiven:
    """The event for a new advice session, if the person may be advised here."""
    _may_record(cmd.region, cmd.occurred_on, "occurred_on", stamp)
    _third_country_national(cmd.citizenship)
    return AdviceGiven(event_id=new_id(), session_id=new_id(), recorded_at=stamp.recorded_at,
                       **_advice_facts(cmd, person_ref))


def advice_corrected(session_id: UUID, current: Recorded | None, cmd: RecordAdviceSession, *, person_ref: str,
                     stamp: Stamp) -> AdviceCorrected:
    _changeable(current, "advice session", session_id, stamp)
    _same_region(current, cmd.region)
    _may_record(cmd.region, cmd.occurred_on, "occurred_on", stamp)
    _third_country_national(cmd.citizenship)
    return AdviceCorrected(event_id=new_id(), session_id=session_id, recorded_at=stamp.recorded_at,
                           **_advice_facts(cmd, person_ref))


def event_held(cmd: RecordGroupEvent, *, stamp: Stamp) -> EventHeld:
    _may_record(cmd.region, cmd.held_on, "held_on", stamp)
    return EventHeld(event_id=new_id(), activity_id=new_id(), recorded_at=stamp.recorded_at, **_event_facts(cmd))


def event_corrected(activity_id: UUID, current: Recorded | None, cmd: RecordGroupEvent, *,
                    stamp: Stamp) -> EventCorrected:
    _changeable(current, "group event", activity_id, stamp)
    _same_region(current, cmd.region)
    _may_record(cmd.region, cmd.held_on, "held_on", stamp)
    return EventCorrected(event_id=new_id(), activity_id=activity_id, recorded_at=stamp.recorded_at,
                          **_event_facts(cmd))


def referred(cmd: RecordReferral, *, person_ref: str, stamp: Stamp) -> ReferredToFairMobility:
    """A referral to Fair Mobility, which is only for citizens of an EU/EEA country."""
    _may_record(cmd.region, cmd.occurred_on, "occurred_on", stamp)
    if not is_eu_eea(cmd.citizenship):
        raise Rejected("citizenship", f"{cmd.citizenship} is not an EU/EEA country: only EU/EEA citizens are "
                                      "referred to Fair Mobility; advise third-country nationals here "
                                      "(POST /v1/advice-sessions)")
    return ReferredToFairMobility(event_id=new_id(), referral_id=new_id(), region=cmd.region,
                                  occurred_on=cmd.occurred_on, recorded_at=stamp.recorded_at,
                                  person_ref=person_ref, citizenship=cmd.citizenship)


def retracted(kind: type[R], record_id: UUID, current: Recorded | None, cmd: Retract, *, what: str,
              stamp: Stamp) -> R:
    """`occurred_on` repeats the withdrawn activity's date, so earlier figures keep it."""
    _changeable(current, what, record_id, stamp)
    return kind(**{kind.key_field: record_id}, event_id=new_id(), region=Region(current.region),
                occurred_on=current.occurred_on, recorded_at=stamp.recorded_at, reason=cmd.reason)


def _advice_facts(cmd: RecordAdviceSession, person_ref: str) -> dict:
    # citizenship stays in this service: it only routes EU/EEA citizens to Fair Mobility
    return dict(region=cmd.region, occurred_on=cmd.occurred_on, session_type=cmd.session_type, topics=cmd.topics,
                residence_status=cmd.residence_status, person_ref=person_ref)


def _event_facts(cmd: RecordGroupEvent) -> dict:
    return dict(region=cmd.region, occurred_on=cmd.held_on, topics=cmd.topics, participants=cmd.participants)


def _may_record(region: str, day: date, field: str, stamp: Stamp) -> None:
    if stamp.instance_region not in ("national", region):
        raise Rejected("region", f"this instance records only {stamp.instance_region}, not {region}")
    ensure_activity_day(field, day, stamp.today)


def _third_country_national(citizenship: str) -> None:
    if is_eu_eea(citizenship):
        raise Rejected("citizenship", f"{citizenship} is an EU/EEA country: Fair Integration does not advise "
                                      "EU/EEA citizens; record a referral to Fair Mobility instead "
                                      "(POST /v1/referrals)")


def _changeable(current: Recorded | None, what: str, record_id: UUID, stamp: Stamp) -> None:
    if current is None or stamp.instance_region not in ("national", current.region):
        raise NotFound("id", f"no {what} {record_id}")
    if current.retracted:
        raise Conflict("id", f"{what} {record_id} was retracted; it can no longer be corrected or retracted")


def _same_region(current: Recorded, region: str) -> None:
    if region != current.region:
        raise Rejected("region", f"a record keeps its region ({current.region}); retract it with reason "
                                 f"wrong_region and record it anew in {region}")
