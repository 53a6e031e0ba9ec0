"""A record's versions in any order of arrival give the rows of their order of recording
(projector.apply, pure): facts, corrections and retractions that arrive late, early or
in between, as after a repair from the dead-letter topic or a partial replay."""

import itertools
from datetime import UTC, date, datetime

import pytest

from iq_reporting.projector import apply
from tests.factories import (
    advice_given,
    contact_point_closed,
    contact_point_opened,
    correction_of,
    fair_advice_given,
    retraction_of,
    scheme_completed,
)


def rows(events) -> dict:
    """The signed rows of folding `events` one by one, without the ones that cancel out."""
    deltas, state = {}, None
    for event in events:
        state = apply(state, event, deltas)
    return {row: n for row, n in deltas.items() if n}


def versions(fact, *changes) -> list:
    """The fact and its later versions, one a month from March: a retraction where a change is None."""
    out = [fact]
    for month, change in enumerate(changes, start=4):
        recorded_at = datetime(2019, month, 1, 10, tzinfo=UTC)
        out.append(retraction_of(fact, recorded_at=recorded_at) if change is None
                   else correction_of(fact, recorded_at=recorded_at, **change))
    return out


RECORDS = {
    "advice corrected twice, then retracted": versions(
        advice_given(kind="recognition", recorded_at=datetime(2019, 3, 4, 10, tzinfo=UTC)),
        {"kind": "job_training"}, {"kind": "recognition_and_job_training", "region": "DE-BY"}, None),
    "fair advice retracted, then corrected back": versions(
        fair_advice_given(recorded_at=datetime(2019, 3, 4, 10, tzinfo=UTC)), {"session_type": "follow_up"}, None,
        {"session_type": "initial"}),
    "a completion corrected": versions(
        scheme_completed(recorded_at=datetime(2019, 3, 4, 10, tzinfo=UTC)), {"outcome": "discontinued"},
        {"outcome": "other"}),
}


@pytest.mark.parametrize("record", RECORDS.values(), ids=RECORDS.keys())
def test_every_order_of_arrival_gives_the_rows_of_the_order_of_recording(record):
    in_order = rows(record)
    assert in_order  # the record counts somewhere
    for arrival in itertools.permutations(record):
        assert rows(arrival) == in_order, [type(e).__name__ + e.recorded_at.date().isoformat() for e in arrival]


def test_of_versions_recorded_at_the_same_moment_the_later_arrival_counts_wherever_it_falls():
    fact = advice_given(kind="recognition", recorded_at=datetime(2019, 3, 4, 10, tzinfo=UTC))
    moment = datetime(2019, 5, 1, 10, tzinfo=UTC)
    first, second = (correction_of(fact, kind=kind, recorded_at=moment)
                     for kind in ("job_training", "recognition_and_job_training"))
    record = [fact, first, second, retraction_of(fact, recorded_at=datetime(2019, 7, 1, 10, tzinfo=UTC))]
    in_order = rows(record)
    compared = 0
    for arrival in itertools.permutations(record):
        if arrival.index(first) < arrival.index(second):  # the two of one moment in their order
            assert rows(arrival) == in_order, [type(e).__name__ + e.recorded_at.date().isoformat() for e in arrival]
            compared += 1
    assert compared == 12


def test_a_contact_point_keeps_no_versions_and_skips_a_late_one_between_two():
    # two closings of a contact point not known yet (they count nothing), then an opening between them
    def closed(month: int):
        return contact_point_closed(occurred_on=date(2019, month, 1),
                                    recorded_at=datetime(2019, month, 1, 9, tzinfo=UTC))

    deltas: dict = {}
    state = apply(apply(None, closed(2), deltas), closed(4), deltas)
    assert state.earlier is None and not any(deltas.values())
    late = contact_point_opened(occurred_on=date(2019, 3, 1), recorded_at=datetime(2019, 3, 1, 9, tzinfo=UTC))
    assert apply(state, late, deltas) is state and not any(deltas.values())  # skipped (and logged)


def test_a_state_stored_before_versions_were_kept_knows_them_only_with_one_version():
    from iq_reporting.projector import _versions

    assert _versions(None, "2019-03-04T10:00:00+00:00", "2019-03-04T10:00:00+00:00") == []
    assert _versions(None, "2019-03-04T10:00:00+00:00", "2019-06-01T10:00:00+00:00") is None
    assert _versions('[["2019-03-04T10:00:00+00:00", []]]', "2019-03-04T10:00:00+00:00",
                     "2019-06-01T10:00:00+00:00") == [(datetime(2019, 3, 4, 10, tzinfo=UTC), [])]
