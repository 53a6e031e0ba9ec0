import pytest
from pydantic import ValidationError

from iq_runtime.settings import KafkaSettings, ServiceSettings


def settings(**env):
    return ServiceSettings(service="counselling", **env)


def test_a_service_defaults_to_its_own_sqlite_file():
    assert settings().database == "sqlite:///var/counselling.db"


def test_an_unknown_region_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("IQ_REGION", "DE-XX")
    with pytest.raises(ValidationError, match="IQ_REGION must be"):
        settings()


def test_a_region_code_is_accepted(monkeypatch):
    monkeypatch.setenv("IQ_REGION", "DE-NW")
    assert settings().regional


def test_an_unsupported_database_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://localhost/iq")
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        settings()


def test_sasl_without_credentials_is_refused(monkeypatch):
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    with pytest.raises(ValidationError, match="KAFKA_SASL_USERNAME"):
        KafkaSettings()


def test_sasl_settings_become_client_options(monkeypatch):
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "iq-nw")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "s3cret")
    options = KafkaSettings().client_options()
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_password"] == "s3cret"
    assert options["ssl_context"] is not None


def test_fields_are_taken_by_their_names_in_code_too():
    given = settings(region="DE-NW", data_dir="/srv/iq", local_broker_port=29092, log_level="DEBUG",
                     auth_secret="a-secret-of-this-deployment")
    assert (given.region, str(given.data_dir), given.local_broker_port, given.log_level) == (
        "DE-NW", "/srv/iq", 29092, "DEBUG")
    assert given.auth_secret.get_secret_value() == "a-secret-of-this-deployment"
    with pytest.raises(ValidationError, match="IQ_REGION must be"):
        settings(region="DE-XX")


def test_an_argument_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("IQ_REGION", "DE-BY")
    assert settings().region == "DE-BY"
    assert settings(region="DE-NW").region == "DE-NW"
