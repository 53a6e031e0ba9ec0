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
from functools import lru_cache

from . import bulk
from .bulk import marks

NATIONAL = "*"
PERSON_COUNTERS_LOCK = 0x49515F706572736F  # a PostgreSQL advisory lock key of its own ("IQ_perso")


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
    if all(delta > 0 for _, delta in rows):  # the usual case (no correction): counts from the first row on
        return Counter({min(day for day, _ in rows): 1}) if rows else Counter()
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


@lru_cache(maxsize=4096)
def iso_buckets(day: str) -> tuple[tuple[str, str], ...]:
    """`buckets` of an ISO day, as ISO days (the projector's rows keep dates as strings)."""
    month = int(day[5:7])
    return (("y", day[:4] + "-01-01"), ("q", f"{day[:4]}-{3 * ((month - 1) // 3) + 1:02d}-01"),
            ("m", day[:8] + "01"))


async def counter_deltas(session, batch: dict) -> dict:
    """`batch`: this batch's person rows {(area, occurred_on, recorded_on, region, person_ref): n},
    ISO dates, not yet stored. Returns {(area, scope, grain, bucket, recorded_on): n}."""
    added: dict[tuple, list] = defaultdict(list)
    for (area, occurred, recorded, region, person), n in batch.items():
        added[(area, person)].append((region, occurred, recorded, n))
    if not added:
        return {}
    # only the years the batch touches: a year's bucket holds its quarters and months
    years = sorted({occurred[:4] for (_, occurred, *_) in batch})
    people = sorted({person for _, person in added})
    await _hold(session)
    first, last = marks(session, 2)
    before: dict[tuple, list] = defaultdict(list)
    for area, region, occurred, recorded, person, delta in await bulk.select_in(
            session, "SELECT area, region, occurred_on, recorded_on, person_ref, delta FROM distinct_persons "
                     f"WHERE occurred_on BETWEEN {first} AND {last} AND person_ref IN ({{}})",
            people,
            (bulk.day(session, f"{years[0]}-01-01"), bulk.day(session, f"{years[-1]}-12-31"))):
        if (area, person) in added:
            before[(area, person)].append((region, bulk.iso(occurred), bulk.iso(recorded), delta))
    counters: dict = {}  # plain: see grains.stored_rows
    for (area, person), new in added.items():
        if (area, person) not in before and all(n > 0 for *_, n in new):
            _first_rows(area, new, counters)  # the usual case, the same result as below, faster
            continue
        wanted = {bucket for _, occurred, _, _ in new for bucket in iso_buckets(occurred)}
        scopes = {region for region, *_ in new} | {NATIONAL}
        old, fresh = _series(before.get((area, person), ()), wanted, scopes), _series(new, wanted, scopes)
        for (grain, first, scope), rows in fresh.items():
            change = steps(old.get((grain, first, scope), []) + rows)
            if (grain, first, scope) in old:
                change.subtract(steps(old[(grain, first, scope)]))
            for day, n in change.items():
                if n:
                    row = (area, scope, grain, first, day)
                    counters[row] = counters.get(row, 0) + n
    return counters


async def _hold(session) -> None:
    """On PostgreSQL, take the person counters until the window commits: two consumers of one
    group (a person's sessions lie in several partitions) would otherwise both read a person's
    rows before either commits and both switch the person on, counting them twice. The second
    waits for the first's commit, then reads its rows (read committed). One lock for all
    persons, not one each: a backlog window touches thousands, and PostgreSQL's shared lock
    table holds ~64 per connection; windows with persons in common, nearly all, would wait for
    each other anyway. Decoding and folding still run side by side. SQLite has one writer at a
    time: a window's transaction holds the database from its first write (the ledger) on."""
    if session.bind.dialect.name == "postgresql":
        connection = await session.connection()
        await connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PERSON_COUNTERS_LOCK})")


def _first_rows(area: str, rows: list, counters: dict) -> None:
    """A person with no stored rows in the batch's years and no negative row in it (the
    usual case): they count in each of their periods and scopes from the first day a row of
    theirs there was recorded, which is what the step functions give without an old series."""
    first_days: dict[tuple, str] = {}
    for region, occurred, recorded, _ in rows:
        for grain, first in iso_buckets(occurred):
            for scope in (NATIONAL, region):
                key = (area, scope, grain, first)
                if recorded < first_days.get(key, "9999-12-31"):
                    first_days[key] = recorded
    for key, day in first_days.items():
        row = (*key, day)
        counters[row] = counters.get(row, 0) + 1


def _series(rows, wanted: set, scopes: set) -> dict[tuple, list]:
    """{(grain, bucket, scope): [(recorded_on, n)]} of a person's rows, for the wanted buckets
    and scopes (a row counts in its region and in the whole country)."""
    series: dict[tuple, list] = defaultdict(list)
    for region, occurred, recorded, n in rows:
        for grain, first in iso_buckets(occurred):
            if (grain, first) in wanted:
                series[(grain, first, NATIONAL)].append((recorded, n))
                if region in scopes:
                    series[(grain, first, region)].append((recorded, n))
    return series
