"""The figures sheet for a period, a scope and a reference date: three grouped sums over the
aggregate rows (counts, distinct persons, contact points), assembled per region and in total."""

from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from . import bulk, sums
from .periods import Period
from .persons import named
from .sheet import Sheet
from .store import contact_point_intervals, distinct_persons
from .tree import figures_of


async def sheet(session: AsyncSession, period: Period, as_of: date, regions: list[str] | None) -> Sheet:
    counts, total = await sums.counts(session, period, as_of, regions)
    persons, persons_in_scope = await _persons(session, period, as_of, regions)
    contact_points = await _contact_points(session, period, as_of, regions)
    in_scope = sorted(set(counts) | set(persons) | set(contact_points) | set(regions or ()))
    whole = figures_of(total, persons_in_scope, sum(contact_points.values(), Counter()))
    return Sheet.model_validate(whole | {
        "period": {"from": period.start, "to": period.end}, "as_of": as_of, "scope": regions or ["national"],
        "by_region": {region: figures_of(counts.get(region, {}), persons.get(region, {}),
                                         contact_points.get(region, Counter()))
                      for region in in_scope},
    })


def _in_scope(query, table, regions: list[str] | None):
    return query.where(table.c.region.in_(regions)) if regions else query


async def _persons(session, period: Period, as_of: date, regions) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Distinct persons per region and in the whole scope: from the counters of a year, quarter
    or month where they exist, else by summing the person rows (see persons.py)."""
    named_period = named(period.start, period.end)
    if named_period and (not regions or len(regions) == 1):
        return await sums.persons(session, *named_period, as_of, regions)
    return await _persons_summed(session, period, as_of, regions)


async def _persons_summed(session, period: Period, as_of: date, regions):
    """Those whose rows in the period sum to > 0."""
    t = distinct_persons
    # the areas named, so the rows are one key range per area (not a walk of the person index)
    rows = _in_scope(select(t.c.area, t.c.region, t.c.person_ref).where(
        t.c.area.in_(sums.AREAS), t.c.occurred_on.between(period.start, period.end), t.c.recorded_on <= as_of),
        t, regions)
    per_region = rows.group_by(t.c.area, t.c.region, t.c.person_ref).having(func.sum(t.c.delta) > 0).subquery()
    in_scope = (rows.with_only_columns(t.c.area, t.c.person_ref).group_by(t.c.area, t.c.person_ref)
                .having(func.sum(t.c.delta) > 0).subquery())
    by_region: dict[str, dict[str, int]] = {}
    query = (select(per_region.c.area, per_region.c.region, func.count())
             .group_by(per_region.c.area, per_region.c.region))
    for area, region, n in await session.execute(query):
        by_region.setdefault(region, {})[area] = n
    totals = select(in_scope.c.area, func.count()).group_by(in_scope.c.area)
    return by_region, {area: n for area, n in await session.execute(totals)}


async def _contact_points(session, period: Period, as_of: date, regions) -> dict[str, Counter]:
    """Contact points open on at least one day of the period, as known as of the reference date."""
    p = bulk.Parameters(session)  # through the driver, as sums.py: a cold sheet's fixed cost
    where = f"recorded_on <= {p.day(as_of)} AND opened_on <= {p.day(period.end)} AND closed_on >= {p.day(period.start)}"
    if regions:  # after the marks before it in the text: "?" binds by position
        where += f" AND region IN ({p.each(regions)})"
    known = (f"SELECT region, contact_point, type FROM {contact_point_intervals.name} WHERE {where} "
             "GROUP BY region, contact_point, type, opened_on, closed_on HAVING SUM(delta) > 0")
    active: dict[str, Counter] = {}
    for region, kind, n in await p.rows(f"SELECT region, type, COUNT(DISTINCT contact_point) FROM ({known}) AS known "
                                        "GROUP BY region, type"):
        active.setdefault(region, Counter())[kind] = n
    return active
