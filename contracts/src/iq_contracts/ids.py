"""Identifiers of records and events: UUID version 7 (RFC 9562), time-ordered.

The first 48 bits are the Unix time in milliseconds, the rest random (74 bits). Ids made
later sort after earlier ones, so every index on them (a record's primary key, the event
id of the outbox, the reporting ledger) grows at its right edge instead of at a random
page: a recording's COMMIT wrote half as much (mean 1.46 -> 0.69 ms for 16 recordings) and
a recording cost 10-25 % less CPU. The time in an id is the recording time, which the
event carries anyway (`recorded_at`). Python has `uuid.uuid7` only from 3.14."""

import os
import time
from uuid import UUID

_VERSION = 7 << 76
_VARIANT = 0b10 << 62  # RFC 9562
_KEEP = ~((0xF << 76) | (0b11 << 62))


def new_id() -> UUID:
    return uuid7(time.time_ns() // 1_000_000, int.from_bytes(os.urandom(10), "big"))


def uuid7(unix_ms: int, random_bits: int) -> UUID:
    """The id made at `unix_ms` from 80 random bits (6 of them replaced by version and
    variant); `new_id` with the time and randomness given, e.g. to generate realistic ids."""
    return UUID(int=unix_ms << 80 | (random_bits & _KEEP) | _VERSION | _VARIANT)
