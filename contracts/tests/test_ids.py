"""New ids are RFC 9562 version 7 UUIDs: unique, and ordered by the millisecond they were made in."""

import time
from uuid import UUID

from iq_contracts.ids import new_id


def test_an_id_is_a_version_7_uuid_of_the_rfc_variant_carrying_the_time():
    before = time.time_ns() // 1_000_000
    made = new_id()
    after = time.time_ns() // 1_000_000
    assert (made.version, made.variant) == (7, "specified in RFC 4122")
    assert before <= made.int >> 80 <= after
    assert UUID(str(made)) == made


def test_ids_are_unique_and_ids_of_a_later_millisecond_sort_after_earlier_ones():
    earlier = [new_id() for _ in range(50_000)]
    time.sleep(0.002)
    later = [new_id() for _ in range(1_000)]
    assert len(set(earlier + later)) == 51_000
    assert max(earlier) < min(later)
    assert max(str(i) for i in earlier) < min(str(i) for i in later)  # also as text (SQLite stores hex)
