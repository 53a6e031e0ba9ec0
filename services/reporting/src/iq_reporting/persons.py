"""Distinct persons per named period (year, quarter, month) as signed counters, so a sheet
for such a period reads a few rows instead of one per person and day.

A person counts in a period as of R when their rows in the period recorded by R sum to > 0.
As a function of R that is a step function, and a batch changes it only for the persons it
touches: for each of them it is computed from all their rows before and after the batch, and
the difference of its switch-on (+1) and switch-off (-1) days goes into the counters.
Counters exist per region and for the whole country ("*"), where one pseudonym in two
regions is one person; other scopes and free date ranges sum the person rows instead."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from .store import distinct_persons

NATIONAL = "*"
CHUNK = 500


def buckets(day: date) -> list[tuple[str, date]]:
    """The year, quarter and month a day belongs to, each by its first day."""
    return [("y", date(day.year, 1, 1)), ("q", date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)),
            ("m", day.replace(day=1))]


def named(start: date, end: date) -> tuple[str, date] | None:
    """The grain and first day of the year, quarter or month that is exactly [start, end]."""
    for grain, first in buckets(start):
        if first == start and _last_day(grain, first) == end:
            return grain, first
    return None


def _last_day(grain: str, first: date) -> date:
    years, month = divmod(first.month - 1 + {"y": 12, "q": 3, "m": 1}[grain], 12)
    return date(first.year + years, month + 1, 1) - timedelta(days=1)


def steps(rows) -> Counter:
    """{recording day: +1 when the person starts counting, -1 when they stop} from (day, delta)."""
    by_day: Counter = Counter()
    for day, delta in rows:
        by_day[day] += delta
    total, counting, switches = 0, False, Counter()
    for day in sorted(by_day):
        total += by_day[day]
        if (total > 0) != counting:
            counting = total > 0
            switches[day] += 1 if counting else -1
    return switches


async def counter_deltas(session, batch: Counter) -> Counter:
    """`batch`: this batch's person rows {(area, region, occurred_on, person_ref, recorded_on): n},
    not yet stored. Returns {(area, scope, grain, bucket, recorded_on): n} for the counters."""
    t, people = distinct_persons, sorted({(area, person) for area, _, _, person, _ in batch})
    before: dict[tuple, list] = defaultdict(list)
    refs = sorted({person for _, person in people})
    for i in range(0, len(refs), CHUNK):
        query = select(t.c.area, t.c.region, t.c.occurred_on, t.c.person_ref, t.c.recorded_on, t.c.delta)
        for area, region, occurred, person, recorded, delta in await session.execute(
                query.where(t.c.person_ref.in_(refs[i:i + CHUNK]))):
            before[(area, person)].append((region, occurred, recorded, delta))
    added: dict[tuple, list] = defaultdict(list)
    for (area, region, occurred, person, recorded), n in batch.items():
        added[(area, person)].append((region, occurred, recorded, n))
    counters: Counter = Counter()
    for area, person in people:
        new = added[(area, person)]
        scopes = {region for region, *_ in new} | {NATIONAL}
        for grain, first in {bucket for _, occurred, _, _ in new for bucket in buckets(occurred)}:
            for scope in scopes:
                def rows(of, scope=scope, grain=grain, first=first):
                    return [(recorded, n) for region, occurred, recorded, n in of
                            if scope in (NATIONAL, region) and (grain, first) in buckets(occurred)]
                change = steps(rows(before[(area, person)] + new))
                change.subtract(steps(rows(before[(area, person)])))
                for day, n in change.items():
                    if n:
                        counters[(area, scope, grain, first, day)] += n
    return counters
