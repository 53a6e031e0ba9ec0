"""JSON Schema (one file per event type) and an AsyncAPI 3.0 document, generated from the
models and checked in, so consumers in any language can validate what they receive.

Regenerate with `python -m iq_contracts.schemas` (the test suite fails when they drift)."""

import json
import sys
from pathlib import Path

from . import topics
from .registry import EVENT_TYPES, topic_of

SCHEMA_DIR = Path(__file__).parent / "schemas"
ASYNCAPI_FILE = SCHEMA_DIR / "asyncapi.json"


def event_schema(event_type) -> dict:
    schema = event_type.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": event_type.ce_type(), **schema}


def asyncapi() -> dict:
    messages = {
        cls.ce_type(): {
            "name": cls.ce_type(),
            "title": cls.__name__,
            "summary": (cls.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "bindings": {"kafka": {"key": {"type": "string", "description": "aggregate id"}}},
            "payload": {"$ref": f"./{cls.ce_type()}.json"},
        }
        for cls in EVENT_TYPES
    }
    channels = {
        topic: {
            "address": topic,
            "messages": {cls.ce_type(): {"$ref": f"#/components/messages/{cls.ce_type()}"}
                         for cls in EVENT_TYPES if topic_of(cls) == topic},
        }
        for topic in topics.ALL
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "IQ Platform events", "version": "1.0.0",
                 "description": "CloudEvents 1.0, Kafka binary mode (ce_* headers, JSON body)."},
        "channels": channels,
        "components": {"messages": messages},
    }


def rendered() -> dict[Path, str]:
    files = {SCHEMA_DIR / f"{cls.ce_type()}.json": event_schema(cls) for cls in EVENT_TYPES}
    files[ASYNCAPI_FILE] = asyncapi()
    return {path: json.dumps(doc, indent=2, sort_keys=True) + "\n" for path, doc in files.items()}


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for path, text in rendered().items():
        path.write_text(text)
    print(f"wrote {len(rendered())} documents to {SCHEMA_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
