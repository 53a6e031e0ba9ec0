"""Counselling rules. Pure: no I/O, no clock, no framework."""

from datetime import date, datetime
from uuid import uuid4

from iq_contracts.events.counselling import AdviceGiven
from iq_runtime.errors import Rejected

from .commands import RecordAdviceSession


def advice_given(cmd: RecordAdviceSession, *, person_ref: str, instance_region: str,
                 today: date, recorded_at: datetime) -> AdviceGiven:
    """The event for a new advice session, if the session may be recorded here."""
    if instance_region not in ("national", cmd.region):
        raise Rejected("region", f"this instance records only {instance_region}, not {cmd.region}")
    if cmd.occurred_on > today:
        raise Rejected("occurred_on", f"{cmd.occurred_on} is in the future")
    return AdviceGiven(
        event_id=uuid4(),
        region=cmd.region,
        occurred_on=cmd.occurred_on,
        recorded_at=recorded_at,
        session_id=uuid4(),
        session_type=cmd.session_type,
        kind=cmd.kind,
        mode=cmd.mode,
        contact_point=cmd.contact_point,
        occupation=cmd.occupation,
        qualification_country=cmd.qualification_country,
        occupation_regulated=cmd.occupation_regulated,
        person_ref=person_ref,
    )
