"""End to end: the `iq-training` process, started as `make run` starts it, over real HTTP,
the real broker and a SQLite file: a scheme, a participant and the completion are recorded,
refused where they break a rule, and published on `iq.training.v1`."""


import pytest

from iq_runtime.auth import Role, issue_token
from tests.e2e.processes import SECRET, call, running
from tests.kafka_helpers import read_all

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]





@pytest.fixture
def service(kafka, tmp_path):
    with running(["training"], kafka, tmp_path) as urls:
        yield urls["training"]


async def test_a_participant_is_recorded_from_start_to_completion(service, kafka):
    recorder = issue_token(SECRET, "staff", "DE-NW", Role.RECORDER)
    status, scheme = call(f"{service}/v1/schemes", recorder, {
        "region": "DE-NW", "format": "individual", "measure_type": "compensatory_measure",
        "occupation": {"classification": "kldb2010", "code": "81404"},
        "starts_on": "2019-05-06", "planned_end": "2019-11-29"})
    assert status == 201, scheme
    enrolments = f"{service}/v1/schemes/{scheme['scheme_id']}/enrolments"
    status, started = call(enrolments, recorder, {"region": "DE-NW", "person_id": "P-1", "started_on": "2019-05-06",
                                                  "esf": {"third_country_national": "yes"}})
    assert status == 201, started
    status, full = call(enrolments, recorder, {"region": "DE-NW", "person_id": "P-2", "started_on": "2019-05-07"})
    assert (status, full["detail"][0]["loc"][-1]) == (409, "scheme_id")
    completion = f"{service}/v1/enrolments/{started['enrolment_id']}/completion"
    body = {"region": "DE-NW", "completed_on": "2019-11-29", "outcome": "full_recognition"}
    assert call(completion, recorder, body)[0] == 201
    assert call(completion, recorder, body)[0] == 409

    messages = await read_all(kafka, "iq.training.v1", expected=3)
    # one partition per key keeps a record's events in order; across records there is no order
    published = [(dict(m.headers)["ce_type"].decode().split(".")[3], m.key.decode()) for m in messages]
    assert sorted(published) == sorted([("SchemeOpened", scheme["scheme_id"]),
                                        ("SchemeStarted", started["enrolment_id"]),
                                        ("SchemeCompleted", started["enrolment_id"])])
    assert [kind for kind, key in published if key == started["enrolment_id"]] == ["SchemeStarted", "SchemeCompleted"]
