"""Which stored rows a batch's signed contribution rows become: the grains the figures read.

The projector folds events into `deltas` {(table, key, recorded_on): n} (see rules.py) and
hands them here; what comes back is, per table, a Counter of full keys (in the order of the
table's key columns) to the amount to add. Tables derived from the person counters (which
need the stored person rows, see persons.py) come from `derived`."""

from collections import Counter

from sqlalchemy import Table

from . import rules
from .store import contact_point_intervals, distinct_persons, figure_counts

Rows = dict[Table, Counter]


def stored_rows(deltas: Counter, region: str) -> Rows:
    """The rows of `figure_counts`, `distinct_persons` and `contact_point_intervals`, merged
    by key. A regional instance keeps only its region. A count is written at three grains of
    (activity, recording): (day, day), (month, day), (month, month) (see store.py)."""
    counts, people, points = Counter(), Counter(), Counter()
    everywhere = region == "national"
    for (name, key, day), n in deltas.items():
        if not n:
            continue
        if name == rules.COUNTS:
            measure, where, occurred, dimension = key
            if everywhere or where == region:
                occurred_month, month = occurred[:8] + "01", day[:8] + "01"
                counts["d", "d", occurred, day, where, measure, dimension] += n
                counts["m", "d", occurred_month, day, where, measure, dimension] += n
                counts["m", "m", occurred_month, month, where, measure, dimension] += n
        elif name == rules.PERSONS:
            area, where, occurred, person = key
            if everywhere or where == region:
                people[area, occurred, day, where, person] += n
        else:
            where, point, kind, opened, closed = key
            if everywhere or where == region:
                points[where, point, kind, opened, closed, day] += n
    return {figure_counts: counts, distinct_persons: people, contact_point_intervals: points}


def derived(rows: Rows) -> Rows:
    """Further rollups of the batch's rows (`rows` includes `person_period_counts`); none yet."""
    return {}
