"""The figure rules: which record an event belongs to, and what a record contributes to the
figures in its current state. Pure functions, no I/O.

A contribution is a list of rows `(table, key, n)`: `key` is the row's key without the
recording day (dates as ISO strings, so a contribution can be stored as JSON) and `n` the
amount. The projector adds a record's contribution on the day it is recorded and, when a
correction or retraction replaces it, subtracts the old one on the day of the replacement."""

from iq_contracts.base import IntegrationEvent, Occupation
from iq_contracts.codes import SessionType
from iq_contracts.events import counselling, fair_integration, stakeholders, training
from iq_contracts.occupations import normalised

COUNTS = "figure_counts"
PERSONS = "distinct_persons"
CONTACT_POINTS = "contact_point_intervals"
OPEN_END = "9999-12-31"  # closed_on of a contact point still open

Row = tuple[str, tuple, int]
Facts = dict | None  # what a record must remember besides its contribution (contact points only)

# events whose record's next state depends on its earlier ones (the intervals of a contact point)
FOLDED = (counselling.ContactPointOpened, counselling.ContactPointClosed, counselling.ContactPointCorrected,
          counselling.ContactPointRetracted)

WITHDRAWN = (counselling.AdviceRetracted, counselling.ContactPointRetracted, training.SchemeRetracted,
             training.SchemeStartRetracted, training.SchemeCompletionRetracted, stakeholders.EventRetracted,
             stakeholders.ConsultationRetracted, fair_integration.AdviceRetracted, fair_integration.EventRetracted,
             fair_integration.ReferralRetracted)

_RECORDS = {
    counselling.AdviceGiven: ("counselling.session",),
    counselling.AdviceCorrected: ("counselling.session",),
    counselling.AdviceRetracted: ("counselling.session",),
    counselling.ContactPointOpened: ("counselling.contact_point",),
    counselling.ContactPointClosed: ("counselling.contact_point",),
    counselling.ContactPointCorrected: ("counselling.contact_point",),
    counselling.ContactPointRetracted: ("counselling.contact_point",),
    training.SchemeOpened: ("training.scheme",),
    training.SchemeCorrected: ("training.scheme",),
    training.SchemeRetracted: ("training.scheme",),
    training.SchemeStarted: ("training.start",),
    training.SchemeStartCorrected: ("training.start",),
    # a withdrawn start takes its completion with it
    training.SchemeStartRetracted: ("training.start", "training.completion"),
    training.SchemeCompleted: ("training.completion",),
    training.SchemeCompletionCorrected: ("training.completion",),
    training.SchemeCompletionRetracted: ("training.completion",),
    stakeholders.EventHeld: ("stakeholders.activity",),
    stakeholders.EventCorrected: ("stakeholders.activity",),
    stakeholders.EventRetracted: ("stakeholders.activity",),
    stakeholders.ConsultationHeld: ("stakeholders.consultation",),
    stakeholders.ConsultationCorrected: ("stakeholders.consultation",),
    stakeholders.ConsultationRetracted: ("stakeholders.consultation",),
    fair_integration.AdviceGiven: ("fair_integration.session",),
    fair_integration.AdviceCorrected: ("fair_integration.session",),
    fair_integration.AdviceRetracted: ("fair_integration.session",),
    fair_integration.EventHeld: ("fair_integration.event",),
    fair_integration.EventCorrected: ("fair_integration.event",),
    fair_integration.EventRetracted: ("fair_integration.event",),
    fair_integration.ReferredToFairMobility: ("fair_integration.referral",),
    fair_integration.ReferralRetracted: ("fair_integration.referral",),
}
# consumers read tolerant subclasses of the contract models: look them up by CloudEvents type
_BY_CE_TYPE = {event_type.ce_type(): families for event_type, families in _RECORDS.items()}


def records_of(event: IntegrationEvent) -> list[str]:
    """The keys of the records an event changes (empty for an event no figure uses)."""
    return [f"{family}/{event.aggregate_id}" for family in _BY_CE_TYPE.get(event.ce_type(), ())]


def transition(event: IntegrationEvent, facts: Facts) -> tuple[Facts, list[Row]]:
    """The record's new facts and contribution after `event` (`facts`: before it)."""
    if isinstance(event, WITHDRAWN):
        return None, []
    if isinstance(event, FOLDED):
        facts = _contact_point(event, facts)
        return facts, _contact_point_rows(facts)
    return None, contribution(event)


def contribution(event: IntegrationEvent) -> list[Row]:
    region, day = event.region.value, event.occurred_on.isoformat()

    def count(measure: str, dimension: str = "", n: int = 1, on: str = day) -> Row:
        return COUNTS, (measure, region, on, dimension), n

    match event:
        case counselling.AdviceGiven() | counselling.AdviceCorrected():
            rows = [(PERSONS, ("counselling", region, day, event.person_ref), 1)]
            if event.session_type is SessionType.INITIAL:
                rows += [count("counselling.initial_advice", event.kind.value),
                         count("counselling.initial_advice_by_mode", event.mode.value),
                         count("counselling.initial_advice_by_occupation", occupation_key(event.occupation)),
                         count("counselling.initial_advice_by_country", event.qualification_country)]
            return rows
        case training.SchemeOpened() | training.SchemeCorrected():
            return [count("training.schemes_started", event.format.value),
                    count("training.schemes_by_measure_type", event.measure_type.value)]
        case training.SchemeStarted() | training.SchemeStartCorrected():
            return [count("training.participants_commencing", event.format.value),
                    count("training.participants_by_occupation", occupation_key(event.occupation)),
                    *(count(f"training.esf.{attribute}", value.value) for attribute, value in event.esf)]
        case training.SchemeCompleted() | training.SchemeCompletionCorrected():
            # the cohort rows are dated by the start, so "started in the period" is a date range
            return [count("training.completions", event.outcome.value),
                    count("training.completers", event.outcome.value, on=event.started_on.isoformat())]
        case stakeholders.EventHeld() | stakeholders.EventCorrected():
            group = f"{event.target_group.value}/{event.format.value}"
            return [count("intercultural_opening.formats", group),
                    count("intercultural_opening.participants", group, event.participants)]
        case stakeholders.ConsultationHeld() | stakeholders.ConsultationCorrected():
            return [count("intercultural_opening.formats", f"{event.target_group.value}/consultation")]
        case fair_integration.AdviceGiven() | fair_integration.AdviceCorrected():
            return [(PERSONS, ("fair_integration", region, day, event.person_ref), 1),
                    count("fair_integration.advice_sessions", event.session_type.value),
                    *(count("fair_integration.sessions_by_topic", topic.value) for topic in sorted(event.topics))]
        case fair_integration.EventHeld() | fair_integration.EventCorrected():
            return [count("fair_integration.group_events"),
                    count("fair_integration.group_event_participants", n=event.participants)]
        case fair_integration.ReferredToFairMobility():
            return [count("fair_integration.fair_mobility_referrals")]
    return []


def occupation_key(occupation: Occupation) -> str:
    """ISCO-08 codes are counted under the KldB 2010 occupation they map to, where known."""
    occupation = normalised(occupation)
    return f"{occupation.classification.value}:{occupation.code}"


def _contact_point(event, facts: Facts) -> Facts:
    """A contact point is a list of opening intervals: it may close and open again. A
    correction is its whole state: one interval."""
    intervals = [list(interval) for interval in (facts or {}).get("intervals", [])]
    day = event.occurred_on.isoformat()
    is_open = bool(intervals) and intervals[-1][1] == OPEN_END
    if isinstance(event, counselling.ContactPointCorrected):
        intervals = [[day, event.closed_on.isoformat() if event.closed_on else OPEN_END]]
        kind = event.contact_point_type.value
    elif isinstance(event, counselling.ContactPointOpened):
        if is_open:
            intervals[-1][0] = day  # opened again while open: the opening day is corrected
        else:
            intervals.append([day, OPEN_END])
        kind = event.contact_point_type.value
    else:
        if not intervals:
            return facts  # closing a contact point never opened: nothing to count
        intervals[-1][1] = day
        kind = facts["type"]
    return {"region": event.region.value, "contact_point": event.contact_point, "type": kind, "intervals": intervals}


def _contact_point_rows(facts: Facts) -> list[Row]:
    if not facts:
        return []
    return [(CONTACT_POINTS, (facts["region"], facts["contact_point"], facts["type"], opened, closed), 1)
            for opened, closed in facts["intervals"]]
