"""The figures sheet ("The Network IQ in figures") as JSON: the tree of one scope, and the
sheet with its period, reference date, scope and the same tree per region.
Keys are part of the API: add new ones, never rename."""

from datetime import date

from pydantic import BaseModel, Field

from iq_contracts.codes import (
    AdviceKind,
    AdviceMode,
    AgeBand,
    CompletionOutcome,
    ContactPointType,
    Gender,
    IscedBand,
    LabourLawTopic,
    LabourMarketStatus,
    MeasureType,
    SchemeFormat,
    SessionType,
    Stated,
)

ESF_ATTRIBUTES = {"gender": Gender, "age_band": AgeBand, "isced": IscedBand,
                  "labour_market_status": LabourMarketStatus, "third_country_national": Stated,
                  "foreign_background": Stated}


def zeros(codes) -> dict[str, int]:
    return {code.value: 0 for code in codes}


class Ranked(BaseModel):
    """One line of a top list: an occupation (KldB 2010, or ISCO-08 where unmapped) or a country."""

    code: str
    label: str | None = None
    classification: str | None = None
    count: int


class CounsellingFigures(BaseModel):
    initial_advice_sessions: int = 0
    initial_advice_by_kind: dict[str, int] = Field(default_factory=lambda: zeros(AdviceKind))
    persons_advised: int = 0
    contact_points: dict[str, int] = Field(default_factory=lambda: zeros(ContactPointType))
    sessions_by_mode: dict[str, int] = Field(default_factory=lambda: zeros(AdviceMode))
    top_occupations: list[Ranked] = []
    top_countries: list[Ranked] = []


class TrainingFigures(BaseModel):
    schemes_started: int = 0
    schemes_by_format: dict[str, int] = Field(default_factory=lambda: zeros(SchemeFormat))
    schemes_by_format_shares: dict[str, float] = Field(default_factory=lambda: {f.value: 0.0 for f in SchemeFormat})
    schemes_by_measure_type: dict[str, int] = Field(default_factory=lambda: zeros(MeasureType))
    participants_commencing: int = 0
    participants_by_format: dict[str, int] = Field(default_factory=lambda: zeros(SchemeFormat))
    successful_completers: int = 0
    completers_by_outcome: dict[str, int] = Field(default_factory=lambda: zeros(CompletionOutcome))
    completions_in_period: int = 0
    completions_in_period_by_outcome: dict[str, int] = Field(default_factory=lambda: zeros(CompletionOutcome))
    top_occupations: list[Ranked] = []
    esf: dict[str, dict[str, int]] = Field(
        default_factory=lambda: {name: zeros(codes) for name, codes in ESF_ATTRIBUTES.items()})


class OpeningFigures(BaseModel):
    trainings: int = 0
    training_participants: int = 0
    events: int = 0
    event_participants: int = 0
    consultations: int = 0
    total_formats: int = 0
    total_participants: int = 0


class InterculturalOpening(BaseModel):
    labour_market: OpeningFigures = Field(default_factory=OpeningFigures)
    business: OpeningFigures = Field(default_factory=OpeningFigures)


class FairIntegrationFigures(BaseModel):
    individuals_advised: int = 0
    advice_sessions: int = 0
    advice_sessions_by_type: dict[str, int] = Field(default_factory=lambda: zeros(SessionType))
    sessions_by_topic: dict[str, int] = Field(default_factory=lambda: zeros(LabourLawTopic))
    group_events: int = 0
    group_event_participants: int = 0
    fair_mobility_referrals: int = 0


class Figures(BaseModel):
    """Every figure of one scope (national, a set of regions, or one region)."""

    counselling: CounsellingFigures = Field(default_factory=CounsellingFigures)
    training: TrainingFigures = Field(default_factory=TrainingFigures)
    intercultural_opening: InterculturalOpening = Field(default_factory=InterculturalOpening)
    fair_integration: FairIntegrationFigures = Field(default_factory=FairIntegrationFigures)


class Sheet(BaseModel):
    period: dict[str, date]
    as_of: date
    scope: list[str]
    counselling: CounsellingFigures
    training: TrainingFigures
    intercultural_opening: InterculturalOpening
    fair_integration: FairIntegrationFigures
    by_region: dict[str, Figures]
