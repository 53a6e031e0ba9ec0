"""The day of an activity: not after the day it is recorded, not before the IQ programme."""

from datetime import date

import pytest

from iq_runtime.activity_day import PROGRAMME_BEGAN, ensure_activity_day
from iq_runtime.errors import Rejected


@pytest.mark.parametrize("day", [PROGRAMME_BEGAN, date(2019, 6, 30), date(2019, 7, 1)])
def test_a_day_from_the_programmes_beginning_to_the_recording_day_is_taken(day):
    ensure_activity_day("held_on", day, date(2019, 7, 1))


@pytest.mark.parametrize(("day", "reason"), [
    (date(2019, 7, 2), "2019-07-02 is in the future: after 2019-07-01, the day it is recorded"),
    (date(2004, 12, 31), "2004-12-31 is before the IQ programme began (2005-01-01)"),
    (date(219, 5, 3), "0219-05-03 is before the IQ programme began (2005-01-01)"),
])
def test_a_day_outside_is_refused_naming_the_field_and_why(day, reason):
    with pytest.raises(Rejected) as refused:
        ensure_activity_day("held_on", day, date(2019, 7, 1))
    assert (refused.value.field, refused.value.reason) == ("held_on", reason)
