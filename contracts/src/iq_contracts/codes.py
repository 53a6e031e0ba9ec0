"""Coded attributes shared by producers and consumers. Values are stable wire codes."""

from enum import StrEnum


class SessionType(StrEnum):
    """Only initial sessions are counted as initial advice; follow-ups are recorded but not counted."""

    INITIAL = "initial"
    FOLLOW_UP = "follow_up"


class AdviceKind(StrEnum):
    RECOGNITION = "recognition"
    JOB_TRAINING = "job_training"
    RECOGNITION_AND_JOB_TRAINING = "recognition_and_job_training"


class AdviceMode(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    MOBILE = "mobile"


class ContactPointType(StrEnum):
    PERMANENT = "permanent"
    MOBILE = "mobile"


class OccupationClassification(StrEnum):
    KLDB_2010 = "kldb2010"
    ISCO_08 = "isco08"


class SchemeFormat(StrEnum):
    COURSE = "course"
    INDIVIDUAL = "individual"


class MeasureType(StrEnum):
    COMPENSATORY_MEASURE = "compensatory_measure"
    BRIDGE_TRAINING = "bridge_training"
    IN_COMPANY_TRAINING = "in_company_training"
    LANGUAGE_SUPPORT = "language_support"


class CompletionOutcome(StrEnum):
    FULL_RECOGNITION = "full_recognition"
    EMPLOYMENT_APPROPRIATE = "employment_appropriate"
    DISCONTINUED = "discontinued"
    OTHER = "other"

    @property
    def successful(self) -> bool:
        return self in SUCCESSFUL_OUTCOMES


SUCCESSFUL_OUTCOMES = frozenset(
    {CompletionOutcome.FULL_RECOGNITION, CompletionOutcome.EMPLOYMENT_APPROPRIATE}
)


class StakeholderGroup(StrEnum):
    LABOUR_MARKET = "labour_market"
    BUSINESS = "business"


class EventFormat(StrEnum):
    TRAINING = "training"
    EVENT = "event"


class OpeningTopic(StrEnum):
    """Topics of intercultural opening (trainings, events, consultations)."""

    INTERCULTURAL_COMPETENCE = "intercultural_competence"
    ANTI_DISCRIMINATION = "anti_discrimination"
    DIVERSITY_MANAGEMENT = "diversity_management"
    EQUAL_TREATMENT_ACT = "equal_treatment_act"
    SKILLED_WORKER_IMMIGRATION = "skilled_worker_immigration"
    ORGANISATIONAL_DEVELOPMENT = "organisational_development"


class LabourLawTopic(StrEnum):
    """Topics of Fair Integration advice on employment and social law."""

    WAGES = "wages"
    WORKING_TIME = "working_time"
    HOLIDAY = "holiday"
    DISMISSAL_AND_TERMINATION = "dismissal_and_termination"
    HEALTH_INSURANCE = "health_insurance"
    SOCIAL_BENEFITS = "social_benefits"
    RESIDENCE_RELATED_EMPLOYMENT = "residence_related_employment"
    OTHER = "other"
