"""The month rows a sheet sums where it can give exactly what summing every day row would."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from iq_reporting.figures import _persons_summed
from iq_reporting.periods import Period, month_end
from iq_reporting.store import figure_counts
from iq_reporting.sums import counts as _counts
from iq_reporting.sums import persons as _persons_counted


def whole(grain: str, start: date) -> date:
    months = {"y": 12, "q": 3, "m": 1}[grain]
    return month_end(date(start.year, start.month + months - 1, 1))


async def brute_force(session, period: Period, as_of: date) -> dict:
    t = figure_counts
    query = (select(t.c.region, t.c.measure, t.c.dimension, func.sum(t.c.count))
             .where(t.c.occurred_grain == "d", t.c.recorded_grain == "d",
                    t.c.occurred_on.between(period.start, period.end), t.c.recorded_on <= as_of)
             .group_by(t.c.region, t.c.measure, t.c.dimension))
    counts: dict = {}
    for region, measure, dimension, n in await session.execute(query):
        if n:
            counts.setdefault(region, {}).setdefault(measure, Counter())[dimension] += int(n)
    return counts


async def test_month_rows_sum_to_the_day_rows_for_any_period_and_reference_date(project, sessions, event_stream):
    await project(*event_stream(seed=3, facts=400))
    rng, compared = random.Random(7), 0
    for _ in range(25):
        start = date(2018, 12, 1) + timedelta(days=rng.randrange(420))
        period = Period(start, start + timedelta(days=rng.randrange(400)))
        as_of = date(2019, 1, 1) + timedelta(days=rng.randrange(500))
        async with sessions() as session:
            expected = await brute_force(session, period, as_of)
            by_region, _ = await _counts(session, period, as_of, None)  # totals: test_rollups_as_of.py
            assert by_region == expected, (period, as_of)
        compared += bool(expected)
    assert compared > 10  # most of the random sheets are not empty


@pytest.mark.parametrize("grain", ["y", "q", "m"])
async def test_the_person_counters_of_a_named_period_equal_summing_the_person_rows(project, sessions, event_stream,
                                                                                   grain):
    events = event_stream(seed=4, facts=500)
    for i in range(0, len(events), 60):  # several batches: counters are changed, not only created
        await project(*events[i:i + 60])
    rng, compared = random.Random(grain), 0
    starts = {"y": [date(2019, 1, 1)], "q": [date(2019, m, 1) for m in (1, 4, 7, 10)],
              "m": [date(2019, m, 1) for m in range(1, 13)]}[grain]
    for start in starts:
        period = Period(start, whole(grain, start))
        for as_of in [date(2019, 1, 1) + timedelta(days=rng.randrange(500)) for _ in range(4)]:
            for regions in (None, ["DE-NW"]):
                async with sessions() as session:
                    summed = await _persons_summed(session, period, as_of, regions)
                    assert await _persons_counted(session, grain, start, as_of, regions) == summed, \
                        (period, as_of, regions)
                compared += bool(summed[1])
    assert compared > len(starts)
