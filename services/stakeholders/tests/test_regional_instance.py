"""A regional instance (IQ_REGION=DE-NW) accepts records only for its own region, even
from a national token."""

import pytest
from fastapi.testclient import TestClient

from iq_runtime.auth import Role, issue_token
from iq_stakeholders.bootstrap import Settings, build_app
from tests.kafka_helpers import fast_group

from .conftest import SECRET, activity_body, organisation_body

pytestmark = pytest.mark.kafka


def test_a_regional_instance_refuses_another_region(kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    monkeypatch.setenv("IQ_REGION", "DE-NW")
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path}/s.db", kafka=fast_group(kafka)))
    national = {"Authorization": f"Bearer {issue_token(SECRET, 'office', 'national', Role.ADMIN)}"}
    with TestClient(app) as client:
        refused = [client.post("/v1/activities", json=activity_body(region="DE-BY"), headers=national),
                   client.post("/v1/organisations", json=organisation_body(region="DE-BY"), headers=national)]
        accepted = client.post("/v1/activities", json=activity_body(), headers=national)
    assert [r.status_code for r in refused] == [422, 422]
    assert all("records only DE-NW" in r.json()["detail"][0]["msg"] for r in refused)
    assert accepted.status_code == 201
