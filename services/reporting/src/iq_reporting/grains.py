"""Which stored rows a batch's signed contribution rows become: the grains the figures read.

The projector folds events into `deltas` {(table, key, recorded_on): n} (see rules.py) and
hands them here; what comes back is, per table, a dict of full rows but the amount (in the
order of the table's columns) to the amount to add. Tables derived from the person counters (which
need the stored person rows, see persons.py) come from `derived`."""

from sqlalchemy import Table

from . import rules
from .persons import iso_buckets
from .store import (
    contact_point_intervals,
    distinct_persons,
    figure_counts,
    figure_rollups,
    person_period_counts,
    person_period_months,
    sheet_changes,
)

ANY_MONTH = "0001-01-01"  # sheet_changes of rows that count in any period (contact points)

Rows = dict[Table, dict]


def stored_rows(deltas: dict, region: str) -> Rows:
    """The rows of `figure_counts`, `distinct_persons` and `contact_point_intervals`, merged
    by key, `figure_rollups`, and the batch's mark in `sheet_changes` (one per activity month
    and recording day it adds rows to). A regional instance keeps only its region. A count is
    written at three grains of (activity, recording): (day, day), (month, day), (month, month)
    (see store.py), and by its year and quarter of activity and year of recording."""
    # plain dicts: a Counter's missing key costs a call of its Python __missing__, and nearly
    # every key here is new (this function about a quarter faster on a window of 12,000, bench/README.md)
    counts: dict = {}
    rollups: dict = {}
    people: dict = {}
    points: dict = {}
    changes: dict = {}
    everywhere = region == "national"
    for (name, key, day), n in deltas.items():
        if not n:
            continue
        if name == rules.COUNTS:
            measure, where, occurred, dimension = key
            if everywhere or where == region:
                occurred_month, month = occurred[:8] + "01", day[:8] + "01"
                # one delta per (day, day) key: nothing to merge at this grain
                counts["d", "d", occurred, day, where, measure, dimension] = n
                row = ("m", "d", occurred_month, day, where, measure, dimension)
                counts[row] = counts.get(row, 0) + n
                row = ("m", "m", occurred_month, month, where, measure, dimension)
                counts[row] = counts.get(row, 0) + n
                year, quarter, _ = iso_buckets(occurred)
                recorded_year = day[:4] + "-01-01"
                row = ("y", year[1], recorded_year, where, measure, dimension)
                rollups[row] = rollups.get(row, 0) + n
                row = ("q", quarter[1], recorded_year, where, measure, dimension)
                rollups[row] = rollups.get(row, 0) + n
                changes[occurred_month, day] = 1
        elif name == rules.PERSONS:
            area, where, occurred, person = key
            if everywhere or where == region:
                row = (area, occurred, day, where, person)
                people[row] = people.get(row, 0) + n
                changes[occurred[:8] + "01", day] = 1
        else:
            where, point, kind, opened, closed = key
            if everywhere or where == region:
                row = (where, point, kind, opened, closed, day)
                points[row] = points.get(row, 0) + n
                changes[ANY_MONTH, day] = 1
    return {figure_counts: counts, figure_rollups: rollups, distinct_persons: people,
            contact_point_intervals: points, sheet_changes: changes}


def derived(rows: Rows) -> Rows:
    """The person counters (`rows` includes `person_period_counts`) by recording month."""
    months: dict = {}
    for (area, scope, grain, first, day), n in rows[person_period_counts].items():
        row = (area, scope, grain, first, day[:8] + "01")
        months[row] = months.get(row, 0) + n
    return {person_period_months: months}
