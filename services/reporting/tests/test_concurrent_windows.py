"""Two consumers of one group apply windows at the same time on PostgreSQL (a person's
sessions lie in several partitions): each person still counts once."""

import asyncio
from datetime import UTC, date, datetime

import pytest

from iq_contracts.envelope import envelope_for
from iq_reporting.projector import Projector
from iq_runtime.delivery import Delivery
from tests.factories import advice_given, person_ref
from tests.pg_locks import waiting_for_a_lock


def window(*events) -> list[Delivery]:
    return [Delivery(e, envelope_for(e, e.context), None) for e in events]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_person_in_two_overlapping_windows_counts_once(sessions, figures):
    anna = person_ref("anna")
    first = advice_given(person_ref=anna, occurred_on=date(2019, 3, 4),
                         recorded_at=datetime(2019, 3, 4, 10, tzinfo=UTC))
    second = advice_given(person_ref=anna, occurred_on=date(2019, 3, 5),
                          recorded_at=datetime(2019, 3, 5, 10, tzinfo=UTC))
    one, other = sessions(), sessions()
    try:
        await one.begin()
        await other.begin()
        await Projector("national")(one, window(first))  # the first consumer's window, not committed yet
        overlapping = asyncio.create_task(Projector("national")(other, window(second)))
        await waiting_for_a_lock(sessions)  # the second window has got as far as it can
        await one.commit()
        await overlapping
        await other.commit()
    finally:
        await one.close()
        await other.close()
    sheet = await figures(as_of=date(2020, 1, 1))
    assert sheet.counselling.persons_advised == 1
    assert sheet.counselling.initial_advice_sessions == 2
