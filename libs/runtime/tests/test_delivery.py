"""Reading a record into an event: what is applied and what is parked, and why."""

import pytest
from aiokafka import ConsumerRecord

from iq_contracts.envelope import envelope_for
from iq_runtime.delivery import Undeliverable, decode
from tests.factories import advice_given


def record(event, headers) -> ConsumerRecord:
    body = event.model_dump_json().encode()
    return ConsumerRecord(topic="iq.counselling.v1", partition=0, offset=7, timestamp=0, timestamp_type=0,
                          key=event.aggregate_id.encode(), value=body, checksum=None, serialized_key_size=0,
                          serialized_value_size=len(body), headers=headers)


def test_a_record_from_its_regions_source_is_read():
    event = advice_given(region="DE-NW")
    delivery = decode(record(event, envelope_for(event, "counselling").kafka_headers()))
    assert delivery.event.model_dump() == event.model_dump()


def test_a_record_claiming_another_region_than_its_source_is_parked():
    event = advice_given(region="DE-BY")
    headers = [(name, b"/iq/DE-NW/counselling" if name == "ce_source" else value)
               for name, value in envelope_for(event, "counselling").kafka_headers()]
    with pytest.raises(Undeliverable, match="ce_source: '/iq/DE-NW/counselling' is not a source of region DE-BY"):
        decode(record(event, headers))


def test_a_record_with_a_foreign_source_is_parked():
    event = advice_given()
    headers = [(name, b"urn:elsewhere" if name == "ce_source" else value)
               for name, value in envelope_for(event, "counselling").kafka_headers()]
    with pytest.raises(Undeliverable, match="ce_source"):
        decode(record(event, headers))
