"""Sheets already served, kept until a batch changes them.

A sheet for period P as of R changes only when a batch adds rows that occur in P and were
recorded by R. Every batch counts itself in `sheet_changes` at each (activity month,
recording day) it adds rows to; the sum of those counts over P's months and the days up to
R only ever grows, and grows exactly when such a batch commits (by month on the activity
side: a batch in P's first or last month outside a free range's days also counts). A cached
sheet is served while that sum is the one it was built at; the sum is read before the sheet,
so a sheet built from newer rows than its sum is merely rebuilt once more. Per process."""

from collections import OrderedDict
from datetime import date

from . import bulk
from .grains import ANY_MONTH
from .periods import Period, month_start, months_later
from .store import sheet_changes

SIZE = 512  # sheets; ~50 KB of JSON each


class SheetCache:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.sheets: OrderedDict[tuple, tuple[int, bytes]] = OrderedDict()

    def get(self, key: tuple, version: int) -> bytes | None:
        found = self.sheets.get(key)
        if found is None or found[0] != version:
            return None
        self.sheets.move_to_end(key)
        return found[1]

    def put(self, key: tuple, version: int, body: bytes) -> None:
        self.sheets[key] = (version, body)
        self.sheets.move_to_end(key)
        while len(self.sheets) > self.size:
            self.sheets.popitem(last=False)


async def version(session, period: Period, as_of: date) -> int:
    """How many times batches added rows in the period's months, recorded by `as_of`."""
    months, month = [date.fromisoformat(ANY_MONTH)], month_start(period.start)
    while month <= period.end:
        months.append(month)
        month = months_later(month, 1)
    p = bulk.Parameters(session)  # through the driver: half the time of a SQLAlchemy statement
    (changes,), = await p.rows(f"SELECT COALESCE(SUM(changes), 0) FROM {sheet_changes.name} "
                               f"WHERE occurred_month IN ({p.days(months)}) AND recorded_on <= {p.day(as_of)}")
    return int(changes)


