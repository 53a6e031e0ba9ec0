from datetime import date

import pytest

from iq_reporting.periods import Period, parse_period, whole_months
from iq_runtime.errors import Rejected

TODAY = date(2020, 2, 20)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2019", date(2019, 1, 1), date(2019, 12, 31)),
        ("2019-Q1", date(2019, 1, 1), date(2019, 3, 31)),
        ("2019-Q3", date(2019, 7, 1), date(2019, 9, 30)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
    ],
)
def test_named_periods(period, start, end):
    assert parse_period(period, None, None, TODAY) == Period(start, end)


def test_from_and_to_default_to_this_year_so_far():
    assert parse_period(None, None, None, TODAY) == Period(date(2020, 1, 1), TODAY)


@pytest.mark.parametrize("period", ["19", "2019-Q5", "2019-13", "2019/05", "last year", "0000", "0000-Q1"])
def test_a_malformed_period_is_named(period):
    with pytest.raises(Rejected) as rejected:
        parse_period(period, None, None, TODAY)
    assert rejected.value.field == "period"


def test_period_and_dates_together_are_refused():
    with pytest.raises(Rejected, match="either"):
        parse_period("2019", date(2019, 1, 1), None, TODAY)


def test_to_alone_starts_on_the_first_of_january_of_its_year():
    assert parse_period(None, None, date(2019, 6, 30), TODAY) == Period(date(2019, 1, 1), date(2019, 6, 30))
    assert parse_period(None, date(2019, 3, 1), None, TODAY) == Period(date(2019, 3, 1), TODAY)


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(Rejected) as rejected:
        parse_period(None, date(2019, 5, 1), date(2019, 4, 1), TODAY)
    assert rejected.value.field == "to"


@pytest.mark.parametrize(
    ("start", "end", "months", "edges"),
    [
        (date(2019, 1, 1), date(2019, 12, 31), (date(2019, 1, 1), date(2019, 12, 1)), []),
        (date(2019, 1, 15), date(2019, 3, 31), (date(2019, 2, 1), date(2019, 3, 1)),
         [(date(2019, 1, 15), date(2019, 1, 31))]),
        (date(2019, 1, 1), date(2019, 3, 30), (date(2019, 1, 1), date(2019, 2, 1)),
         [(date(2019, 3, 1), date(2019, 3, 30))]),
        (date(2019, 1, 2), date(2019, 1, 30), None, [(date(2019, 1, 2), date(2019, 1, 30))]),
        (date(2019, 1, 31), date(2019, 3, 1), (date(2019, 2, 1), date(2019, 2, 1)),
         [(date(2019, 1, 31), date(2019, 1, 31)), (date(2019, 3, 1), date(2019, 3, 1))]),
        (date(2020, 2, 1), date(2020, 2, 29), (date(2020, 2, 1), date(2020, 2, 1)), []),
    ],
)
def test_a_period_splits_into_whole_months_and_edge_days(start, end, months, edges):
    assert whole_months(Period(start, end)) == (months, edges)


@pytest.mark.parametrize(("period", "end", "field"), [("9999", None, "period"), ("9999-12", None, "period"),
                                                      (None, date(9999, 11, 30), "to")])
def test_a_period_after_the_last_day_a_sheet_covers_is_refused(period, end, field):
    with pytest.raises(Rejected) as rejected:
        parse_period(period, None, end, TODAY)
    assert rejected.value.field == field and "9998-12-31" in rejected.value.reason
    assert parse_period(None, None, date(9998, 12, 31), TODAY).end == date(9998, 12, 31)
