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


class StakeholderType(StrEnum):
    """The kind of organisation opened up; each belongs to one stakeholder group."""

    JOB_CENTRE = "job_centre"
    EMPLOYMENT_AGENCY = "employment_agency"
    CHAMBER = "chamber"
    MUNICIPAL_ADMINISTRATION = "municipal_administration"
    OTHER_LABOUR_MARKET = "other_labour_market"
    SME = "sme"
    ASSOCIATION = "association"
    OTHER_BUSINESS = "other_business"

    @property
    def group(self) -> StakeholderGroup:
        business = {StakeholderType.SME, StakeholderType.ASSOCIATION, StakeholderType.OTHER_BUSINESS}
        return StakeholderGroup.BUSINESS if self in business else StakeholderGroup.LABOUR_MARKET


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


class ResidenceStatusGroup(StrEnum):
    """Coded residence status of a person advised by Fair Integration (no document details)."""

    ASYLUM_SEEKER = "asylum_seeker"  # permission to reside pending the asylum procedure
    TOLERATED = "tolerated"  # Duldung
    PROTECTION_STATUS = "protection_status"  # refugee, subsidiary protection, deportation ban
    TEMPORARY_PROTECTION = "temporary_protection"  # section 24 Residence Act
    EMPLOYMENT_RESIDENCE = "employment_residence"  # residence for work or training
    FAMILY_REUNIFICATION = "family_reunification"
    OTHER = "other"
    NOT_STATED = "not_stated"


class RetractionReason(StrEnum):
    """Why a record was withdrawn; coded, so no free text about a person reaches Kafka."""

    ENTERED_IN_ERROR = "entered_in_error"
    DUPLICATE = "duplicate"
    WRONG_REGION = "wrong_region"
    OTHER = "other"


# ESF+ participant attributes (common output indicators). Every one is optional for the
# participant: `not_stated` records a refusal or a gap explicitly instead of guessing.


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    DIVERSE = "diverse"
    NOT_STATED = "not_stated"


class AgeBand(StrEnum):
    UNDER_18 = "under_18"
    FROM_18_TO_29 = "18_29"
    FROM_30_TO_54 = "30_54"
    FROM_55 = "55_plus"
    NOT_STATED = "not_stated"


class IscedBand(StrEnum):
    ISCED_0_2 = "isced_0_2"
    ISCED_3_4 = "isced_3_4"
    ISCED_5_8 = "isced_5_8"
    NOT_STATED = "not_stated"


class LabourMarketStatus(StrEnum):
    EMPLOYED = "employed"  # including self-employed
    UNEMPLOYED = "unemployed"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    INACTIVE = "inactive"
    NOT_STATED = "not_stated"


class Stated(StrEnum):
    """A yes/no attribute the participant may decline to state."""

    YES = "yes"
    NO = "no"
    NOT_STATED = "not_stated"
