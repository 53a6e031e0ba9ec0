"""What was recorded by the end of a reference date R, as a signed sum of recording buckets
(years, months, days), so a sheet reads few rows per cell whatever R is.

"Recorded by R" = recorded before R's month + recorded in R's month up to R. The first part
is either the years before R's year plus its months before R's month (prefix), or the years
up to R's year minus its months from R's month on (suffix); the second either the days of
R's month up to R, or R's month minus its days after R. Whichever touches fewer buckets is
taken: as of today, or of a period's year end, it is the year rows alone. Pure, no I/O."""

from dataclasses import dataclass
from datetime import date, timedelta

from .periods import month_end, month_start

EARLIEST = date.min


@dataclass(frozen=True)
class Buckets:
    """Recording buckets of one grain ("y", "m" or "d") whose first days lie in start..end, signed."""

    grain: str
    start: date | None
    end: date | None
    sign: int


def recorded_by(as_of: date, years: bool = True) -> list[Buckets]:
    """The buckets whose signed sum is everything recorded by the end of `as_of`. Without
    `years` (no year rows for the grain) the months before R's month stand in for them."""
    first_month, last = month_start(as_of), month_end(as_of)
    january = date(as_of.year, 1, 1)
    before_month, after_month = _day_before(first_month), _day_after(last)
    options = []
    for with_month in (False, True):  # does the month part include R's month?
        if with_month:
            days, day_count = Buckets("d", _day_after(as_of), last, -1), last.day - as_of.day
        else:
            days, day_count = Buckets("d", first_month, as_of, 1), as_of.day
        if years:
            prefix = [Buckets("y", EARLIEST, _day_before(january), 1),
                      Buckets("m", january, last if with_month else before_month, 1)]
            options.append((as_of.month - 1 + with_month + day_count, prefix, days))
            suffix = [Buckets("y", EARLIEST, january, 1),
                      Buckets("m", after_month if with_month else first_month, date(as_of.year, 12, 31), -1)]
            options.append((13 - as_of.month - with_month + day_count, suffix, days))
        else:
            options.append((day_count, [Buckets("m", EARLIEST, last if with_month else before_month, 1)], days))
    _, months, days = min(options, key=lambda option: option[0])
    return [b for b in (*months, days) if b.start is not None and b.end is not None and b.start <= b.end]


def _day_before(day: date) -> date | None:
    return day - timedelta(days=1) if day > date.min else None


def _day_after(day: date) -> date | None:
    return day + timedelta(days=1) if day < date.max else None
