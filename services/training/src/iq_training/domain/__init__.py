"""Training rules. Pure: no I/O, no clock, no framework. The current state of a scheme and of
a participant's enrolment, read by the handlers from the store, and the checks every rule shares."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from iq_contracts.base import Occupation
from iq_contracts.codes import CompletionOutcome, MeasureType, SchemeFormat
from iq_contracts.events.training import EsfAttributes
from iq_contracts.regions import Region
from iq_runtime.errors import Conflict, NotFound, Rejected


@dataclass(frozen=True)
class Scheme:
    scheme_id: UUID
    region: Region
    format: SchemeFormat
    measure_type: MeasureType
    occupation: Occupation
    starts_on: date
    planned_end: date
    retracted: bool = False


@dataclass(frozen=True)
class Enrolment:
    enrolment_id: UUID
    scheme_id: UUID
    region: Region
    person_ref: str
    started_on: date
    esf: EsfAttributes
    completed_on: date | None = None
    outcome: CompletionOutcome | None = None
    retracted: bool = False


def ensure_recorded_here(region: str, instance_region: str) -> None:
    if instance_region not in ("national", region):
        raise Rejected("region", f"this instance records only {instance_region}, not {region}")


def current_scheme(scheme: Scheme | None, scheme_id: UUID, region: str) -> Scheme:
    """The scheme a command refers to; one of another region is as unknown as a missing one."""
    if scheme is None or scheme.region != region:
        raise NotFound("scheme_id", f"no scheme {scheme_id} in {region}")
    if scheme.retracted:
        raise Conflict("scheme_id", f"scheme {scheme_id} was retracted")
    return scheme


def current_enrolment(enrolment: Enrolment | None, enrolment_id: UUID, region: str) -> Enrolment:
    if enrolment is None or enrolment.region != region:
        raise NotFound("enrolment_id", f"no enrolment {enrolment_id} in {region}")
    if enrolment.retracted:
        raise Conflict("enrolment_id", f"the start of enrolment {enrolment_id} was retracted")
    return enrolment
