"""Reporting periods and reference dates, as the figures API accepts them."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from iq_runtime.errors import Rejected


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise Rejected("to", f"{self.end} is before from={self.start}")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def whole_months(period: Period) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The period as (first days of its first and last whole month) and the day ranges before
    and after them: a sheet sums month rows for the former and day rows for the latter."""
    first = period.start if period.start.day == 1 else month_end(period.start) + timedelta(days=1)
    last = period.end if period.end == month_end(period.end) else month_start(period.end) - timedelta(days=1)
    if first > last:
        return None, [(period.start, period.end)]
    edges = [(period.start, first - timedelta(days=1))] if period.start < first else []
    if period.end > last:
        edges.append((last + timedelta(days=1), period.end))
    return (first, month_start(last)), edges


def cover(period: Period) -> tuple[list[tuple[str, date]], list[tuple[date, date]]]:
    """The period as whole years, quarters and months ("y", "q", "m" and their first days),
    the coarsest that fit, and the day ranges at its edges."""
    months, edges = whole_months(period)
    if not months:
        return [], edges
    buckets, first, end = [], months[0], months_later(months[1], 1)
    while first < end:
        for grain, length in (("y", 12), ("q", 3), ("m", 1)):  # noqa: B007 - the grain that fits
            after = months_later(first, length)
            if (first.month - 1) % length == 0 and after <= end:
                break
        buckets.append((grain, first))
        first = after
    return buckets, edges


def months_later(first: date, months: int) -> date:
    """The first day of the month `months` after the month of `first` (a first day)."""
    years, month = divmod(first.month - 1 + months, 12)
    return date(first.year + years, month + 1, 1)


# a sheet reads by month, and the month after December 9999 is not a date
LAST_DAY = date(9998, 12, 31)


def parse_period(period: str | None, start: date | None, end: date | None, today: date) -> Period:
    """`period=2019`, `2019-Q3` or `2019-05`, or an explicit `from`/`to` (default: this year)."""
    if period is not None:
        if start or end:
            raise Rejected("period", "give either period or from/to, not both")
        parsed = _named(period)
    else:
        end = end or today
        # `to` alone: from the first of January of its year (not of this year: it may lie before it)
        parsed = Period(start or date(end.year, 1, 1), end)
    if parsed.end > LAST_DAY:
        raise Rejected("period" if period else "to", f"ends after {LAST_DAY}, the last day a sheet can cover")
    return parsed


def _named(period: str) -> Period:
    try:
        return _named_dates(period)
    except ValueError:  # year 0000
        raise Rejected("period", f"{period!r} is not a year from 0001 on") from None


def _named_dates(period: str) -> Period:
    if m := re.fullmatch(r"(\d{4})", period):
        year = int(m[1])
        return Period(date(year, 1, 1), date(year, 12, 31))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * quarter - 2
        return Period(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]))
    if m := re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", period):
        year, month = int(m[1]), int(m[2])
        return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    raise Rejected("period", f"{period!r} is not a year (2019), quarter (2019-Q3) or month (2019-05)")
