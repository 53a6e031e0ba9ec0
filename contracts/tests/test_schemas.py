"""The checked-in documents are what the models say, and no event can carry personal data."""

import pytest

from iq_contracts import schemas
from iq_contracts.registry import EVENT_TYPES

# Field names that would mean a person's identity or free text reaches Kafka.
FORBIDDEN = {"name", "first_name", "last_name", "surname", "email", "phone", "address",
             "birth_date", "date_of_birth", "birthday", "comment", "note", "notes", "text",
             "description", "street", "postcode", "local_person_id", "person_id"}


@pytest.mark.parametrize(("path", "text"), sorted(schemas.rendered().items()), ids=lambda v: getattr(v, "name", ""))
def test_checked_in_documents_match_the_models(path, text):
    assert path.exists(), f"{path.name} missing: run `python -m iq_contracts.schemas`"
    assert path.read_text() == text, f"{path.name} is stale: run `python -m iq_contracts.schemas`"


def _field_names(schema: dict):
    for definition in [schema, *schema.get("$defs", {}).values()]:
        yield from definition.get("properties", {})


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=lambda t: t.ce_type())
def test_no_event_carries_personal_data(event_type):
    schema = schemas.event_schema(event_type)
    assert FORBIDDEN.isdisjoint(_field_names(schema))
    for field, spec in _string_fields(schema):
        # every free string must be constrained by a pattern or an enum: no free text
        assert "pattern" in spec or "enum" in spec or "format" in spec, f"{field} is free text"


def _string_fields(schema: dict):
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for field, spec in definition.get("properties", {}).items():
            if spec.get("type") == "string":
                yield field, spec
