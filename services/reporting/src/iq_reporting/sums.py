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
from .store import person_period_counts, person_period_months
from .tree import Tally

LENGTH = {"y": 12, "q": 3, "m": 1}  # months
ALL_SCOPES = [NATIONAL, *(region.value for region in Region)]
AREAS = ("counselling", "fair_integration")  # the areas with person rows (rules.contribution)


def _months_of(buckets: list[tuple[str, date]]) -> list[date]:
    return [months_later(first, i) for grain, first in buckets for i in range(LENGTH[grain])]


class _Union:
    """The signed parts of one UNION ALL, as driver SQL with its parameters in order. Each
    mark appends its value, so a part's f-string, evaluated left to right, lists them in the
    order of its marks (`$n` for asyncpg, `?` for SQLite)."""

    def __init__(self, session) -> None:
        self.numbered = session.bind.dialect.paramstyle == "numeric_dollar"
        self.dates_as_text = session.bind.dialect.name == "sqlite"  # how SQLAlchemy stores Date there
        self.parts: list[str] = []
        self.params: list = []

    def value(self, value) -> str:
        self.params.append(value)
        return f"${len(self.params)}" if self.numbered else "?"

    def day(self, day: date) -> str:
        return self.value(day.isoformat() if self.dates_as_text else day)

    def days(self, days: list[date]) -> str:
        return ", ".join(self.day(day) for day in days)

    def add(self, sign: int, table: str, condition: str, regions) -> None:
        if regions:
            condition += f" AND region IN ({', '.join(self.value(region) for region in regions)})"
        self.parts.append(f"SELECT region, measure, dimension, count * {sign:d} FROM {table} WHERE {condition}")


def _count_parts(u: _Union, buckets: list[tuple[str, date]], as_of: date, regions) -> None:
    """The signed rows of whole years, quarters and months, recorded by `as_of`."""
    coarse = {grain: [first for g, first in buckets if g == grain] for grain in ("y", "q")}
    months = _months_of(buckets)
    for b in recorded_by(as_of, years=any(coarse.values())):
        if b.grain == "y":
            for grain, starts in coarse.items():
                if starts:
                    u.add(b.sign, "figure_rollups", f"grain = {u.value(grain)} AND period_start IN ({u.days(starts)}) "
                          f"AND recorded_year BETWEEN {u.day(b.start)} AND {u.day(b.end)}", regions)
        else:
            u.add(b.sign, "figure_counts", f"occurred_grain = 'm' AND recorded_grain = {u.value(b.grain)} "
                  f"AND occurred_on IN ({u.days(months)}) AND recorded_on BETWEEN {u.day(b.start)} AND {u.day(b.end)}",
                  regions)


async def counts(session, period: Period, as_of: date, regions) -> tuple[dict[str, Tally], Tally]:
    """Per region and in all: {measure: {dimension: n}}, the cells that are not zero.

    Through the driver, and summed here: SQLAlchemy's statement, its rows and SQLite's GROUP BY
    (a temporary B-tree) cost twice what reading the ~2,500 signed rows does (a national year,
    bench/README.md)."""
    buckets, edges = cover(period)
    coarse, months = [b for b in buckets if b[0] != "m"], [b for b in buckets if b[0] == "m"]
    u = _Union(session)
    # years and quarters have year rows, months do not: a decomposition each
    for part in (coarse, months):
        if part:
            _count_parts(u, part, as_of, regions)
    for first, last in edges:
        u.add(1, "figure_counts", f"occurred_grain = 'd' AND recorded_grain = 'd' AND occurred_on BETWEEN "
              f"{u.day(first)} AND {u.day(last)} AND recorded_on <= {u.day(as_of)}", regions)
    if not u.parts:
        return {}, {}
    connection = await session.connection()
    found: dict[str, Tally] = {}
    total: Tally = {}
    for region, measure, dimension, n in await connection.exec_driver_sql(" UNION ALL ".join(u.parts),
                                                                          tuple(u.params)):
        # plain dicts: a Counter's missing keys cost a Python call each
        cells = found.setdefault(region, {}).setdefault(measure, {})
        cells[dimension] = cells.get(dimension, 0) + n
        cells = total.setdefault(measure, {})
        cells[dimension] = cells.get(dimension, 0) + n
    return {region: _nonzero(tally) for region, tally in found.items()}, _nonzero(total)


def _nonzero(tally: Tally) -> Tally:
    """Without the cells that sum to zero (a retracted record's), as if they were never counted."""
    return {measure: kept for measure, cells in tally.items() if (kept := {d: n for d, n in cells.items() if n})}


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
