"""The day an activity took place, as every recording service checks it."""

from datetime import date

from .errors import Rejected

# The IQ network began in 2005: an earlier day is a typo ("0219-05-03" for 2019-05-03) that
# would otherwise count in a year of its own on every sheet.
PROGRAMME_BEGAN = date(2005, 1, 1)


def ensure_activity_day(field: str, day: date, recorded_on: date) -> None:
    """Not after the day it is recorded (today in Germany, or an imported row's own recording
    day), not before the programme began."""
    if day > recorded_on:
        raise Rejected(field, f"{day} is in the future: after {recorded_on}, the day it is recorded")
    if day < PROGRAMME_BEGAN:
        raise Rejected(field, f"{day} is before the IQ programme began ({PROGRAMME_BEGAN})")
