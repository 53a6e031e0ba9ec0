"""Configuration every service shares. Read once at start-up from the environment; a wrong
value stops the process with the variable's name instead of failing later in a request."""

import ssl
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from iq_contracts.regions import NATIONAL, Region

LOCAL_BROKER_PORT = 19092
DEV_AUTH_SECRET = "iq-local-development-only-not-for-production"  # only for local runs; set IQ_AUTH_SECRET elsewhere


class KafkaSettings(BaseSettings):
    """A real cluster when `KAFKA_BOOTSTRAP_SERVERS` is set; otherwise the local broker."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore")

    bootstrap_servers: str | None = None
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "PLAIN"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    # A consumer group settles after about half the session timeout on the local broker, so
    # tests shorten it; real clusters refuse values below their group.min.session.timeout.ms.
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> "KafkaSettings":
        if self.security_protocol.startswith("SASL") and not (self.sasl_username and self.sasl_password):
            raise ValueError("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required for SASL")
        return self

    def consumer_options(self) -> dict:
        return self.client_options() | {"session_timeout_ms": self.session_timeout_ms,
                                        "heartbeat_interval_ms": self.heartbeat_interval_ms}

    def client_options(self) -> dict:
        """Connection options for any aiokafka client (producer, consumer, admin)."""
        options: dict = {"security_protocol": self.security_protocol}
        if self.security_protocol.endswith("SSL"):
            options["ssl_context"] = ssl.create_default_context(
                cafile=str(self.ssl_cafile) if self.ssl_cafile else None
            )
        if self.security_protocol.startswith("SASL"):
            options |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.sasl_username,
                "sasl_plain_password": self.sasl_password.get_secret_value(),
            }
        return options


class ServiceSettings(BaseSettings):
    """Base of each service's `Settings`; a service adds its own fields and defaults."""

    # by name too: `Settings(region="DE-NW")` in code (tests, tools) was silently ignored, since
    # only the environment's name (IQ_REGION) was read and unknown arguments are ignored
    model_config = SettingsConfigDict(extra="ignore", env_nested_delimiter="__", validate_by_name=True)

    service: str
    region: str = Field(NATIONAL, validation_alias="IQ_REGION")
    database_url: str = Field("", validation_alias="DATABASE_URL")
    data_dir: Path = Field(Path("var"), validation_alias="IQ_DATA_DIR")
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    local_broker_port: int = Field(LOCAL_BROKER_PORT, validation_alias="IQ_LOCAL_BROKER_PORT")
    auth_secret: SecretStr = Field(SecretStr(DEV_AUTH_SECRET), validation_alias="IQ_AUTH_SECRET")
    log_level: str = Field("INFO", validation_alias="IQ_LOG_LEVEL")

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if value != NATIONAL and value not in Region._value2member_map_:
            raise ValueError(f"IQ_REGION must be {NATIONAL!r} or one of {', '.join(Region)}")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return value

    @property
    def database(self) -> str:
        """The service's own database: a SQLite file in the data directory unless set."""
        return self.database_url or f"sqlite:///{self.data_dir / self.service}.db"

    @property
    def regional(self) -> bool:
        return self.region != NATIONAL
