"""A regional instance (IQ_REGION=DE-NW) accepts records only for its own region, even
from a national token."""

import pytest
from fastapi.testclient import TestClient

from iq_fair_integration.bootstrap import Settings, build_app
from iq_runtime.auth import Role, issue_token
from tests.kafka_helpers import fast_group

from .conftest import SECRET, advice_body, group_event_body, referral_body

pytestmark = pytest.mark.kafka


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/advice-sessions", advice_body), ("/v1/group-events", group_event_body), ("/v1/referrals", referral_body),
])
def test_a_regional_instance_refuses_another_region(kafka, tmp_path, monkeypatch, path, body):
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    monkeypatch.setenv("IQ_REGION", "DE-NW")
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path}/f.db", kafka=fast_group(kafka)))
    national = {"Authorization": f"Bearer {issue_token(SECRET, 'office', 'national', Role.ADMIN)}"}
    with TestClient(app) as client:
        refused = client.post(path, json=body(region="DE-BY"), headers=national)
        accepted = client.post(path, json=body(region="DE-NW"), headers=national)
    assert refused.status_code == 422
    assert "records only DE-NW" in refused.json()["detail"][0]["msg"]
    assert accepted.status_code == 201
