"""Projection and figures on a real database (SQLite and PostgreSQL), without Kafka."""

from datetime import UTC, date, datetime

import pytest

from iq_contracts.envelope import envelope_for
from iq_reporting.bootstrap import MIGRATIONS
from iq_reporting.figures import sheet
from iq_reporting.periods import Period
from iq_reporting.projector import Projector
from iq_runtime.database import create_engine, session_factory
from iq_runtime.delivery import Delivery
from iq_runtime.migrations import upgrade
from tests.factories import advice_given

YEAR_2019 = Period(date(2019, 1, 1), date(2019, 12, 31))


@pytest.fixture
async def sessions(database_url):
    upgrade(MIGRATIONS, database_url)
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


async def project(sessions, *events, region="national"):
    deliveries = [Delivery(e, envelope_for(e, "counselling"), None) for e in events]
    async with sessions.begin() as session:
        await Projector(region)(session, deliveries)


async def figures(sessions, as_of=date(2020, 2, 20), regions=None, period=YEAR_2019):
    async with sessions() as session:
        return await sheet(session, period, as_of, regions)


async def test_initial_sessions_are_counted_by_kind_and_region(sessions):
    await project(sessions, advice_given(kind="recognition"), advice_given(kind="job_training"),
                  advice_given(kind="recognition", region="DE-BY"))
    sheet_ = await figures(sessions)
    assert sheet_.counselling.initial_advice_sessions == 3
    assert sheet_.counselling.initial_advice_by_kind == {
        "recognition": 2, "job_training": 1, "recognition_and_job_training": 0}
    assert sheet_.by_region["DE-BY"].counselling.initial_advice_sessions == 1


async def test_follow_up_sessions_are_not_initial_advice(sessions):
    await project(sessions, advice_given(session_type="follow_up"), advice_given())
    assert (await figures(sessions)).counselling.initial_advice_sessions == 1


async def test_a_figure_as_of_a_date_ignores_what_was_recorded_later(sessions):
    late = advice_given(occurred_on=date(2019, 12, 30), recorded_at=datetime(2020, 1, 10, 9, tzinfo=UTC))
    await project(sessions, advice_given(), late)
    assert (await figures(sessions, as_of=date(2020, 1, 9))).counselling.initial_advice_sessions == 1
    assert (await figures(sessions, as_of=date(2020, 1, 10))).counselling.initial_advice_sessions == 2


async def test_the_reference_date_ends_at_midnight_in_berlin(sessions):
    # 23:30 UTC on 31 Dec is already 1 Jan in Berlin: not part of a sheet as of 31 Dec
    await project(sessions, advice_given(recorded_at=datetime(2019, 12, 31, 23, 30, tzinfo=UTC)))
    assert (await figures(sessions, as_of=date(2019, 12, 31))).counselling.initial_advice_sessions == 0
    assert (await figures(sessions, as_of=date(2020, 1, 1))).counselling.initial_advice_sessions == 1


async def test_the_period_is_the_day_of_the_activity(sessions):
    await project(sessions, advice_given(occurred_on=date(2018, 12, 31)), advice_given())
    assert (await figures(sessions)).counselling.initial_advice_sessions == 1


async def test_a_scope_of_regions_sums_only_them(sessions):
    await project(sessions, advice_given(region="DE-NW"), advice_given(region="DE-BY"), advice_given(region="DE-HH"))
    scoped = await figures(sessions, regions=["DE-BY", "DE-HH"])
    assert scoped.counselling.initial_advice_sessions == 2
    assert sorted(scoped.by_region) == ["DE-BY", "DE-HH"]


async def test_a_regional_instance_projects_only_its_region(sessions):
    await project(sessions, advice_given(region="DE-NW"), advice_given(region="DE-BY"), region="DE-NW")
    assert sorted((await figures(sessions)).by_region) == ["DE-NW"]
