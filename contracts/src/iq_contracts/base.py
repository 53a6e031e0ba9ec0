"""The base every integration event shares, and the value types events are built from."""

import re
from datetime import date
from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .codes import OccupationClassification, RetractionReason
from .regions import Region

# A keyed HMAC-SHA256 of the local person id (hex). It identifies a person within the
# platform without revealing who they are; the key is a regional secret never published.
PersonRef = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="pseudonymous person reference")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
ContactPointCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]

_OCCUPATION_PATTERNS = {
    OccupationClassification.KLDB_2010: r"^\d{5}$",
    OccupationClassification.ISCO_08: r"^\d{4}$",
}


class Occupation(BaseModel):
    """A reference occupation: KldB 2010 (five digits) or ISCO-08 (four digits)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    classification: OccupationClassification
    code: str = Field(pattern=r"^\d{4,5}$")

    @model_validator(mode="after")
    def _code_matches_classification(self) -> Self:
        if not re.fullmatch(_OCCUPATION_PATTERNS[self.classification], self.code):
            digits = 5 if self.classification is OccupationClassification.KLDB_2010 else 4
            raise ValueError(f"a {self.classification.value} code has {digits} digits")
        return self


class IntegrationEvent(BaseModel):
    """An event one service publishes for all others. Producers are strict: unknown fields
    are rejected and instances are immutable; consumers read through `tolerant()`."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    # Bounded context (service) and name make up the CloudEvents type; a breaking change
    # bumps the version and thereby the type, so old consumers never misread new events.
    context: ClassVar[str]
    version: ClassVar[int] = 1
    # The field holding the record's id: the Kafka key, so a record's events stay in order.
    key_field: ClassVar[str]

    event_id: UUID
    region: Region
    occurred_on: date = Field(description="the date the activity took place")
    recorded_at: AwareDatetime = Field(description="when the activity was recorded")

    @classmethod
    def ce_type(cls) -> str:
        return f"de.netzwerk-iq.{cls.context}.{cls.__name__}.v{cls.version}"

    @property
    def aggregate_id(self) -> str:
        """Kafka key: the events of one record stay in one partition, in order."""
        return str(getattr(self, self.key_field))


class Retraction(IntegrationEvent):
    """Base of the events that withdraw a record published earlier, under the same key.
    `occurred_on` repeats the date of the withdrawn activity and `recorded_at` is when it was
    withdrawn: figures as of an earlier reference date keep counting the record."""

    reason: RetractionReason
