"""The rollups a sheet reads (years and quarters by recording year, person counters by
recording month) give exactly what summing the day rows gives, for any named period,
reference date and scope; the migration fills them exactly as the projector writes them;
the sheet cache's count of changes grows exactly when a batch changes a sheet."""

import asyncio
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from alembic import command
from sqlalchemy import func, select

from iq_reporting import sheet_cache
from iq_reporting.bootstrap import MIGRATIONS
from iq_reporting.periods import Period, month_end
from iq_reporting.store import figure_counts, figure_rollups, person_period_months
from iq_reporting.sums import counts
from iq_runtime.migrations import alembic_config
from tests.factories import advice_given

SCOPES = (None, ["DE-NW"], ["DE-BY", "DE-HH"])


async def summed_day_rows(session, period: Period, as_of: date, regions) -> dict:
    t = figure_counts
    query = (select(t.c.region, t.c.measure, t.c.dimension, func.sum(t.c.count))
             .where(t.c.occurred_grain == "d", t.c.recorded_grain == "d",
                    t.c.occurred_on.between(period.start, period.end), t.c.recorded_on <= as_of)
             .group_by(t.c.region, t.c.measure, t.c.dimension))
    if regions:
        query = query.where(t.c.region.in_(regions))
    found: dict = {}
    for region, measure, dimension, n in await session.execute(query):
        if n:
            found.setdefault(region, {}).setdefault(measure, {})[dimension] = int(n)
    return found


def in_all(by_region: dict) -> dict:
    """The cells of every region summed, without the zeros."""
    total: dict = {}
    for tally in by_region.values():
        for measure, cells in tally.items():
            for dimension, n in cells.items():
                total.setdefault(measure, Counter())[dimension] += n
    return {measure: kept for measure, cells in total.items() if (kept := {d: n for d, n in cells.items() if n})}


def named_periods() -> list[Period]:
    years = [Period(date(2019, 1, 1), date(2019, 12, 31))]
    quarters = [Period(date(2019, m, 1), month_end(date(2019, m + 2, 1))) for m in (1, 4, 7, 10)]
    months = [Period(date(2019, m, 1), month_end(date(2019, m, 1))) for m in range(1, 13)]
    return years + quarters + months


async def test_years_quarters_and_months_as_of_any_date_equal_the_day_rows(project, sessions, event_stream):
    events = event_stream(seed=11, facts=500)
    for i in range(0, len(events), 80):  # several batches: rollups are added to, not only created
        await project(*events[i:i + 80])
    rng, compared = random.Random(11), 0
    for period in named_periods():
        for as_of in [date(2019, 1, 1) + timedelta(days=rng.randrange(520)) for _ in range(3)] + [date(2030, 1, 1)]:
            regions = rng.choice(SCOPES)
            async with sessions() as session:
                expected = await summed_day_rows(session, period, as_of, regions)
                by_region, total = await counts(session, period, as_of, regions)
                assert by_region == expected, (period, as_of, regions)
                assert total == in_all(expected), (period, as_of, regions)
            compared += bool(expected)
    assert compared > 30


async def rows_of(session, table) -> Counter:
    return Counter({tuple(str(v) for v in row[:-1]): row[-1]
                    for row in await session.execute(select(table)) if row[-1]})


async def test_the_migration_fills_the_rollups_exactly_as_the_projector_writes_them(project, sessions,
                                                                                    event_stream, database_url):
    await project(*event_stream(seed=12, facts=300))
    async with sessions() as session:
        written = [await rows_of(session, table) for table in (figure_rollups, person_period_months)]
    assert all(written)
    config = alembic_config(MIGRATIONS, database_url)
    await _in_thread(command.downgrade, config, "0005")
    await _in_thread(command.upgrade, config, "head")
    async with sessions() as session:
        assert [await rows_of(session, table) for table in (figure_rollups, person_period_months)] == written


async def _in_thread(function, *args):
    """Alembic's async env starts its own event loop."""
    await asyncio.to_thread(function, *args)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


async def test_the_count_of_changes_grows_exactly_when_a_batch_adds_rows_to_the_sheet(project, sessions):
    may, as_of = Period(date(2019, 5, 1), date(2019, 5, 31)), date(2019, 6, 30)

    async def changes() -> int:
        async with sessions() as session:
            return await sheet_cache.version(session, may, as_of)

    await project(advice_given(occurred_on=date(2019, 5, 3), recorded_at=at(date(2019, 5, 4))))
    before = await changes()
    await project(advice_given(occurred_on=date(2019, 4, 30), recorded_at=at(date(2019, 5, 2))))  # before May
    await project(advice_given(occurred_on=date(2019, 5, 20), recorded_at=at(date(2019, 7, 1))))  # after R
    assert await changes() == before
    await project(advice_given(occurred_on=date(2019, 5, 31), recorded_at=at(as_of)))  # late, but by R
    assert await changes() > before
