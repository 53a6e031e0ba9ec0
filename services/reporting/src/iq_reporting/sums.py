"""The signed sums a sheet reads: counts and person counters of a period as of a reference
date, from the coarsest rows that answer it (see recorded.py and periods.cover).

A year or quarter of activity reads its rows by year of recording (`figure_rollups`) and,
for the recording months and days that split the reference date's year, the month rows of
its months; a month reads month rows by recording month and day; the days at the edges of a
free date range read day rows. Each part is one index range."""

from datetime import date

from iq_contracts.regions import Region

from . import bulk
from .periods import Period, cover, months_later
from .persons import NATIONAL
from .recorded import recorded_by
from .tree import Tally

LENGTH = {"y": 12, "q": 3, "m": 1}  # months
ALL_SCOPES = [NATIONAL, *(region.value for region in Region)]
AREAS = ("counselling", "fair_integration")  # the areas with person rows (rules.contribution)


def _months_of(buckets: list[tuple[str, date]]) -> list[date]:
    return [months_later(first, i) for grain, first in buckets for i in range(LENGTH[grain])]


def _signed(p: bulk.Parameters, sign: int, table: str, condition: str, regions) -> str:
    if regions:
        condition += f" AND region IN ({p.each(regions)})"
    return f"SELECT region, measure, dimension, count * {sign:d} FROM {table} WHERE {condition}"


def _count_parts(p: bulk.Parameters, buckets: list[tuple[str, date]], as_of: date, regions) -> list[str]:
    """The signed rows of whole years, quarters and months, recorded by `as_of`."""
    coarse = {grain: [first for g, first in buckets if g == grain] for grain in ("y", "q")}
    months = _months_of(buckets)
    parts = []
    for b in recorded_by(as_of, years=any(coarse.values())):
        if b.grain == "y":
            parts += [_signed(p, b.sign, "figure_rollups", f"grain = {p.value(grain)} AND period_start IN "
                              f"({p.days(starts)}) AND recorded_year BETWEEN {p.day(b.start)} AND {p.day(b.end)}",
                              regions)
                      for grain, starts in coarse.items() if starts]
        else:
            parts.append(_signed(p, b.sign, "figure_counts", f"occurred_grain = 'm' AND recorded_grain = "
                                 f"{p.value(b.grain)} AND occurred_on IN ({p.days(months)}) "
                                 f"AND recorded_on BETWEEN {p.day(b.start)} AND {p.day(b.end)}", regions))
    return parts


async def counts(session, period: Period, as_of: date, regions) -> tuple[dict[str, Tally], Tally]:
    """Per region and in all: {measure: {dimension: n}}, the cells that are not zero.

    Through the driver, and summed here: SQLAlchemy's statement, its rows and SQLite's GROUP BY
    (a temporary B-tree) cost twice what reading the ~2,500 signed rows does (a national year,
    bench/README.md)."""
    buckets, edges = cover(period)
    coarse, months = [b for b in buckets if b[0] != "m"], [b for b in buckets if b[0] == "m"]
    p = bulk.Parameters(session)
    # years and quarters have year rows, months do not: a decomposition each
    parts = [part for grains in (coarse, months) if grains for part in _count_parts(p, grains, as_of, regions)]
    parts += [_signed(p, 1, "figure_counts", f"occurred_grain = 'd' AND recorded_grain = 'd' AND occurred_on "
                      f"BETWEEN {p.day(first)} AND {p.day(last)} AND recorded_on <= {p.day(as_of)}", regions)
              for first, last in edges]
    if not parts:
        return {}, {}
    found: dict[str, Tally] = {}
    total: Tally = {}
    for region, measure, dimension, n in await p.rows(" UNION ALL ".join(parts)):
        # plain dicts, and get before set: a Counter's missing key costs a Python call, and
        # setdefault(key, {}) makes a dict every time (this loop ~20 % faster, bench/README.md)
        regional = found.get(region)
        if regional is None:
            regional = found[region] = {}
        cells = regional.get(measure)
        if cells is None:
            cells = regional[measure] = {}
        cells[dimension] = cells.get(dimension, 0) + n
        cells = total.get(measure)
        if cells is None:
            cells = total[measure] = {}
        cells[dimension] = cells.get(dimension, 0) + n
    # a region whose cells all sum to zero is not in the sheet (a retracted record's, or one
    # recorded after the reference date within a signed bucket)
    return {region: kept for region, tally in found.items() if (kept := _nonzero(tally))}, _nonzero(total)


def _nonzero(tally: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Without the cells that sum to zero (a retracted record's), as if they were never counted."""
    return {measure: kept for measure, cells in tally.items() if (kept := {d: n for d, n in cells.items() if n})}


async def persons(session, grain: str, start: date, as_of: date, regions):
    """Distinct persons of a named period from the counters (see persons.py): by recording
    month before the reference date's month, by day in it."""
    p, parts = bulk.Parameters(session), []
    for b in recorded_by(as_of, years=False):
        table, recorded = (("person_period_months", "recorded_month") if b.grain == "m"
                           else ("person_period_counts", "recorded_on"))
        parts.append(f"SELECT area, scope, delta * {b.sign:d} FROM {table} WHERE area IN ({p.each(AREAS)}) "
                     f"AND grain = {p.value(grain)} AND period_start = {p.day(start)} "
                     f"AND scope IN ({p.each(regions or ALL_SCOPES)}) AND {recorded} BETWEEN {p.day(b.start)} "
                     f"AND {p.day(b.end)}")
    summed: dict[str, dict[str, int]] = {}
    for area, scope, n in await p.rows(" UNION ALL ".join(parts)) if parts else []:
        areas = summed.setdefault(scope, {})
        areas[area] = areas.get(area, 0) + n
    by_region = _nonzero(summed)
    total = by_region.pop(NATIONAL, {}) if not regions else dict(by_region.get(regions[0], {}))
    return by_region, total
