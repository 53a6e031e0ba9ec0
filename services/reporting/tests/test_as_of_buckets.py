"""Pure: the recording buckets a sheet sums give exactly "recorded by the end of R", and a
period's cover (years, quarters, months, edge days) is exactly its days."""

import random
from datetime import date, timedelta

import pytest

from iq_reporting.periods import Period, cover, month_end, months_later
from iq_reporting.recorded import recorded_by

DAYS = [date(2017, 12, 20) + timedelta(days=i) for i in range(3 * 366)]


def weight(day: date, as_of: date, years: bool) -> int:
    """How often the signed buckets count a row recorded on `day` (year, month or day row)."""
    own = {"y": date(day.year, 1, 1), "m": day.replace(day=1), "d": day}
    return sum(b.sign for b in recorded_by(as_of, years) if b.start <= own[b.grain] <= b.end)


@pytest.mark.parametrize("years", [True, False])
def test_the_buckets_count_every_day_recorded_by_the_reference_date_once_and_no_later_day(years):
    rng = random.Random(years)
    dates = [date(2018, 12, 31), date(2019, 1, 1), date(2019, 6, 15), date(2019, 12, 31), date(2020, 2, 29)]
    for as_of in dates + [date(2018, 1, 1) + timedelta(days=rng.randrange(900)) for _ in range(40)]:
        assert [day for day in DAYS if weight(day, as_of, years)] == [day for day in DAYS if day <= as_of], as_of
        assert {weight(day, as_of, years) for day in DAYS} <= {0, 1}, as_of


def test_a_reference_date_after_a_year_reads_its_year_rows_alone():
    assert [(b.grain, b.sign) for b in recorded_by(date(2019, 12, 31))] == [("y", 1)]


def test_the_extreme_reference_dates_do_not_overflow():
    assert recorded_by(date.min) and recorded_by(date.max) and recorded_by(date.max, years=False)


def days_of(buckets, edges) -> list[date]:
    length = {"y": 12, "q": 3, "m": 1}
    days = []
    for grain, first in buckets:
        assert (first.month - 1) % length[grain] == 0 and first.day == 1  # aligned
        last = month_end(months_later(first, length[grain] - 1))
        days += [first + timedelta(days=i) for i in range((last - first).days + 1)]
    for start, end in edges:
        days += [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return sorted(days)


def test_a_cover_is_exactly_the_days_of_the_period_in_the_coarsest_buckets():
    rng = random.Random(5)
    for _ in range(200):
        start = date(2018, 11, 1) + timedelta(days=rng.randrange(500))
        period = Period(start, start + timedelta(days=rng.randrange(900)))
        buckets, edges = cover(period)
        assert days_of(buckets, edges) == [start + timedelta(days=i) for i in range((period.end - start).days + 1)]
    assert cover(Period(date(2019, 1, 1), date(2020, 6, 30)))[0] == [
        ("y", date(2019, 1, 1)), ("q", date(2020, 1, 1)), ("q", date(2020, 4, 1))]
    assert cover(Period(date(2019, 2, 1), date(2019, 2, 28))) == ([("m", date(2019, 2, 1))], [])
