"""A regional instance (IQ_REGION=DE-NW) accepts records only for its own region, even
from a national token."""

import pytest
from fastapi.testclient import TestClient

from iq_counselling.bootstrap import Settings, build_app
from iq_runtime.auth import Role, issue_token
from tests.kafka_helpers import fast_group

from .conftest import SECRET, contact_point_body, session_body

pytestmark = pytest.mark.kafka


def test_a_regional_instance_refuses_another_region(kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    monkeypatch.setenv("IQ_REGION", "DE-NW")
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path}/c.db", kafka=fast_group(kafka)))
    national = {"Authorization": f"Bearer {issue_token(SECRET, 'office', 'national', Role.ADMIN)}"}
    with TestClient(app) as client:
        assert client.post("/v1/contact-points", json=contact_point_body(), headers=national).status_code == 201
        refused = client.post("/v1/advice-sessions", json=session_body(region="DE-BY"), headers=national)
        accepted = client.post("/v1/advice-sessions", json=session_body(region="DE-NW"), headers=national)
    assert refused.status_code == 422
    assert "records only DE-NW" in refused.json()["detail"][0]["msg"]
    assert accepted.status_code == 201
