"""The signed sums a sheet reads: counts and person counters of a period as of a reference
date, from the coarsest rows that answer it (see recorded.py and periods.cover).

A year or quarter of activity reads its rows by year of recording (`figure_rollups`) and,
for the recording months and days that split the reference date's year, the month rows of
its months; a month reads month rows by recording month and day; the days at the edges of a
free date range read day rows. Each part is one index range."""

from datetime import date

from sqlalchemy import func, select, union_all

from iq_contracts.regions import Region

from .periods import Period, cover, months_later
from .persons import NATIONAL
from .recorded import recorded_by
from .store import figure_counts, figure_rollups, person_period_counts, person_period_months
from .tree import Tally

LENGTH = {"y": 12, "q": 3, "m": 1}  # months
ALL_SCOPES = [NATIONAL, *(region.value for region in Region)]
AREAS = ("counselling", "fair_integration")  # the areas with person rows (rules.contribution)


def _months_of(buckets: list[tuple[str, date]]) -> list[date]:
    return [months_later(first, i) for grain, first in buckets for i in range(LENGTH[grain])]


def _signed(table, sign: int, regions, *where):
    query = select(table.c.region, table.c.measure, table.c.dimension, (table.c.count * sign).label("n"))
    return query.where(*where, table.c.region.in_(regions)) if regions else query.where(*where)


def _count_parts(buckets: list[tuple[str, date]], as_of: date, regions) -> list:
    """The signed rows of whole years, quarters and months, recorded by `as_of`."""
    f, r = figure_counts, figure_rollups
    coarse = {grain: [first for g, first in buckets if g == grain] for grain in ("y", "q")}
    months = _months_of(buckets)
    parts = []
    for b in recorded_by(as_of, years=any(coarse.values())):
        if b.grain == "y":
            parts += [_signed(r, b.sign, regions, r.c.grain == grain, r.c.period_start.in_(starts),
                              r.c.recorded_year.between(b.start, b.end))
                      for grain, starts in coarse.items() if starts]
        else:
            parts.append(_signed(f, b.sign, regions, f.c.occurred_grain == "m", f.c.recorded_grain == b.grain,
                                 f.c.occurred_on.in_(months), f.c.recorded_on.between(b.start, b.end)))
    return parts


async def counts(session, period: Period, as_of: date, regions) -> dict[str, Tally]:
    f = figure_counts
    buckets, edges = cover(period)
    coarse, months = [b for b in buckets if b[0] != "m"], [b for b in buckets if b[0] == "m"]
    # years and quarters have year rows, months do not: a decomposition each
    parts = (_count_parts(coarse, as_of, regions) if coarse else []) + (
        _count_parts(months, as_of, regions) if months else [])
    parts += [_signed(f, 1, regions, f.c.occurred_grain == "d", f.c.recorded_grain == "d",
                      f.c.occurred_on.between(*edge), f.c.recorded_on <= as_of) for edge in edges]
    rows = union_all(*parts).subquery()
    query = select(rows.c.region, rows.c.measure, rows.c.dimension, func.sum(rows.c.n)).group_by(
        rows.c.region, rows.c.measure, rows.c.dimension)
    found: dict[str, Tally] = {}
    for region, measure, dimension, n in await session.execute(query):
        if n:  # one row per cell: plain dicts (a Counter's missing keys cost a Python call each)
            found.setdefault(region, {}).setdefault(measure, {})[dimension] = int(n)  # numeric on PostgreSQL
    return found


async def persons(session, grain: str, start: date, as_of: date, regions):
    """Distinct persons of a named period from the counters (see persons.py): by recording
    month before the reference date's month, by day in it."""
    scopes = regions or ALL_SCOPES
    parts = []
    for b in recorded_by(as_of, years=False):
        t, recorded = ((person_period_months, person_period_months.c.recorded_month) if b.grain == "m"
                       else (person_period_counts, person_period_counts.c.recorded_on))
        parts.append(select(t.c.area, t.c.scope, (t.c.delta * b.sign).label("n")).where(
            t.c.area.in_(AREAS), t.c.grain == grain, t.c.period_start == start, t.c.scope.in_(scopes),
            recorded.between(b.start, b.end)))
    rows = union_all(*parts).subquery()
    query = select(rows.c.area, rows.c.scope, func.sum(rows.c.n)).group_by(rows.c.area, rows.c.scope)
    by_region: dict[str, dict[str, int]] = {}
    for area, scope, n in await session.execute(query):
        if n:
            by_region.setdefault(scope, {})[area] = int(n)
    total = by_region.pop(NATIONAL, {}) if not regions else dict(by_region.get(regions[0], {}))
    return by_region, total
