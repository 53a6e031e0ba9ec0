"""The tree of figures of one scope, from the summed aggregate rows (pure, no I/O).

Built as plain dicts in the shape of `sheet.Figures` and validated once per sheet: a sheet
has 17 trees (the scope and each region), and constructing ~15 models with their defaults
per tree cost more than reading the rows."""

from functools import lru_cache

from iq_contracts.base import Occupation
from iq_contracts.codes import (
    SUCCESSFUL_OUTCOMES,
    AdviceKind,
    AdviceMode,
    CompletionOutcome,
    ContactPointType,
    LabourLawTopic,
    MeasureType,
    SchemeFormat,
    SessionType,
    StakeholderGroup,
)
from iq_contracts.countries import country_name
from iq_contracts.occupations import label

from .sheet import ESF_ATTRIBUTES, zeros

TOP = 5  # the sheet lists the five most frequent occupations (and countries)

Tally = dict[str, dict[str, int]]  # measure -> dimension -> summed count (no zeros)
Tree = dict  # the JSON of sheet.Figures

KINDS, MODES, POINTS = zeros(AdviceKind), zeros(AdviceMode), zeros(ContactPointType)
FORMATS, MEASURE_TYPES, OUTCOMES = zeros(SchemeFormat), zeros(MeasureType), zeros(CompletionOutcome)
SESSION_TYPES, TOPICS = zeros(SessionType), zeros(LabourLawTopic)
ESF = {name: zeros(codes) for name, codes in ESF_ATTRIBUTES.items()}
EMPTY: dict[str, int] = {}


def figures_of(tally: Tally, persons: dict[str, int], contact_points: dict[str, int]) -> Tree:
    def of(measure: str) -> dict[str, int]:
        return tally.get(measure, EMPTY)

    kinds, schemes, completers = of("counselling.initial_advice"), of("training.schemes_started"), \
        of("training.completers")
    counselling = {
        "initial_advice_sessions": sum(kinds.values()), "initial_advice_by_kind": KINDS | kinds,
        "persons_advised": persons.get("counselling", 0), "contact_points": POINTS | contact_points,
        "sessions_by_mode": MODES | of("counselling.initial_advice_by_mode"),
        "top_occupations": _top_occupations(of("counselling.initial_advice_by_occupation")),
        "top_countries": [{"code": code, "label": country_name(code), "count": n}
                          for code, n in _top(of("counselling.initial_advice_by_country"))],
    }
    started = sum(schemes.values())
    by_format = FORMATS | schemes
    participants = FORMATS | of("training.participants_commencing")
    completions = of("training.completions")
    training = {
        "schemes_started": started, "schemes_by_format": by_format,
        "schemes_by_format_shares": {f: round(n / started, 4) if started else 0.0 for f, n in by_format.items()},
        "schemes_by_measure_type": MEASURE_TYPES | of("training.schemes_by_measure_type"),
        "participants_commencing": sum(participants.values()), "participants_by_format": participants,
        "successful_completers": sum(n for outcome, n in completers.items() if outcome in SUCCESSFUL_OUTCOMES),
        "completers_by_outcome": OUTCOMES | completers,
        "completions_in_period": sum(completions.values()), "completions_in_period_by_outcome": OUTCOMES | completions,
        "top_occupations": _top_occupations(of("training.participants_by_occupation")),
        "esf": {attribute: codes | of(f"training.esf.{attribute}") for attribute, codes in ESF.items()},
    }
    formats, people = of("intercultural_opening.formats"), of("intercultural_opening.participants")
    sessions = of("fair_integration.advice_sessions")
    fair = {
        "individuals_advised": persons.get("fair_integration", 0), "advice_sessions": sum(sessions.values()),
        "advice_sessions_by_type": SESSION_TYPES | sessions,
        "sessions_by_topic": TOPICS | of("fair_integration.sessions_by_topic"),
        "group_events": sum(of("fair_integration.group_events").values()),
        "group_event_participants": sum(of("fair_integration.group_event_participants").values()),
        "fair_mobility_referrals": sum(of("fair_integration.fair_mobility_referrals").values()),
    }
    return {"counselling": counselling, "training": training, "fair_integration": fair,
            "intercultural_opening": {group.value: _opening(group.value, formats, people)
                                      for group in StakeholderGroup}}


def _opening(group: str, formats: dict[str, int], participants: dict[str, int]) -> dict:
    trainings, events, consultations = (formats.get(f"{group}/{kind}", 0)
                                        for kind in ("training", "event", "consultation"))
    training_participants = participants.get(f"{group}/training", 0)
    event_participants = participants.get(f"{group}/event", 0)
    return {"trainings": trainings, "training_participants": training_participants, "events": events,
            "event_participants": event_participants, "consultations": consultations,
            "total_formats": trainings + events + consultations,
            "total_participants": training_participants + event_participants}


def _top(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(((code, n) for code, n in counts.items() if n > 0), key=lambda item: (-item[1], item[0]))[:TOP]


def _top_occupations(counts: dict[str, int]) -> list[dict]:
    return [_occupation(key) | {"count": n} for key, n in _top(counts)]


@lru_cache(maxsize=4096)
def _occupation(key: str) -> dict:
    classification, code = key.split(":")
    return {"code": code, "classification": classification,
            "label": label(Occupation(classification=classification, code=code))}
