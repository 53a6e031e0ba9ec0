"""The tree of figures of one scope, from the summed aggregate rows (pure, no I/O)."""

from collections import Counter

from iq_contracts.base import Occupation
from iq_contracts.codes import SUCCESSFUL_OUTCOMES, StakeholderGroup
from iq_contracts.occupations import label

from .sheet import (
    ESF_ATTRIBUTES,
    CounsellingFigures,
    FairIntegrationFigures,
    Figures,
    InterculturalOpening,
    OpeningFigures,
    Ranked,
    TrainingFigures,
)

TOP = 5  # the sheet lists the five most frequent occupations (and countries)

Tally = dict[str, Counter]  # measure -> dimension -> summed count


def figures_of(tally: Tally, persons: dict[str, int], contact_points: Counter) -> Figures:
    def of(measure: str) -> Counter:
        return tally.get(measure, Counter())

    kinds, schemes = of("counselling.initial_advice"), of("training.schemes_started")
    completers = of("training.completers")
    counselling = CounsellingFigures(persons_advised=persons.get("counselling", 0))
    counselling.initial_advice_sessions = sum(kinds.values())
    counselling.initial_advice_by_kind |= kinds
    counselling.contact_points |= contact_points
    counselling.sessions_by_mode |= of("counselling.initial_advice_by_mode")
    counselling.top_occupations = _top_occupations(of("counselling.initial_advice_by_occupation"))
    countries = _top(of("counselling.initial_advice_by_country"))
    counselling.top_countries = [Ranked(code=code, count=n) for code, n in countries]

    training = TrainingFigures(schemes_started=sum(schemes.values()))
    training.schemes_by_format |= schemes
    training.schemes_by_format_shares = {f: round(n / training.schemes_started, 4) if training.schemes_started else 0.0
                                         for f, n in training.schemes_by_format.items()}
    training.schemes_by_measure_type |= of("training.schemes_by_measure_type")
    training.participants_by_format |= of("training.participants_commencing")
    training.participants_commencing = sum(training.participants_by_format.values())
    training.completers_by_outcome |= completers
    training.successful_completers = sum(n for outcome, n in completers.items() if outcome in SUCCESSFUL_OUTCOMES)
    training.completions_in_period_by_outcome |= of("training.completions")
    training.completions_in_period = sum(of("training.completions").values())
    training.top_occupations = _top_occupations(of("training.participants_by_occupation"))
    for attribute in ESF_ATTRIBUTES:
        training.esf[attribute] |= of(f"training.esf.{attribute}")

    formats, participants = of("intercultural_opening.formats"), of("intercultural_opening.participants")
    opening = InterculturalOpening(**{group.value: _opening(group.value, formats, participants)
                                      for group in StakeholderGroup})

    sessions = of("fair_integration.advice_sessions")
    fair = FairIntegrationFigures(
        individuals_advised=persons.get("fair_integration", 0), advice_sessions=sum(sessions.values()),
        group_events=sum(of("fair_integration.group_events").values()),
        group_event_participants=sum(of("fair_integration.group_event_participants").values()),
        fair_mobility_referrals=sum(of("fair_integration.fair_mobility_referrals").values()))
    fair.advice_sessions_by_type |= sessions
    fair.sessions_by_topic |= of("fair_integration.sessions_by_topic")
    return Figures(counselling=counselling, training=training, intercultural_opening=opening, fair_integration=fair)


def _opening(group: str, formats: Counter, participants: Counter) -> OpeningFigures:
    figures = OpeningFigures(
        trainings=formats[f"{group}/training"], training_participants=participants[f"{group}/training"],
        events=formats[f"{group}/event"], event_participants=participants[f"{group}/event"],
        consultations=formats[f"{group}/consultation"])
    figures.total_formats = figures.trainings + figures.events + figures.consultations
    figures.total_participants = figures.training_participants + figures.event_participants
    return figures


def _top(counts: Counter) -> list[tuple[str, int]]:
    return sorted(((code, n) for code, n in counts.items() if n > 0), key=lambda item: (-item[1], item[0]))[:TOP]


def _top_occupations(counts: Counter) -> list[Ranked]:
    ranked = []
    for key, n in _top(counts):
        classification, code = key.split(":")
        occupation = Occupation(classification=classification, code=code)
        ranked.append(Ranked(code=code, classification=classification, label=label(occupation), count=n))
    return ranked
