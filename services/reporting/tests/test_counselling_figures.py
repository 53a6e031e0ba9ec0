"""Counselling figures: initial sessions by kind and region, as of a reference date."""

from datetime import UTC, date, datetime

from tests.factories import advice_given, correction_of


async def test_initial_sessions_are_counted_by_kind_and_region(project, figures):
    await project(advice_given(kind="recognition"), advice_given(kind="job_training"),
                  advice_given(kind="recognition", region="DE-BY"))
    sheet_ = await figures()
    assert sheet_.counselling.initial_advice_sessions == 3
    assert sheet_.counselling.initial_advice_by_kind == {
        "recognition": 2, "job_training": 1, "recognition_and_job_training": 0}
    assert sheet_.by_region["DE-BY"].counselling.initial_advice_sessions == 1


async def test_follow_up_sessions_are_not_initial_advice(project, figures):
    await project(advice_given(session_type="follow_up"), advice_given())
    assert (await figures()).counselling.initial_advice_sessions == 1


async def test_a_figure_as_of_a_date_ignores_what_was_recorded_later(project, figures):
    late = advice_given(occurred_on=date(2019, 12, 30), recorded_at=datetime(2020, 1, 10, 9, tzinfo=UTC))
    await project(advice_given(), late)
    assert (await figures(as_of=date(2020, 1, 9))).counselling.initial_advice_sessions == 1
    assert (await figures(as_of=date(2020, 1, 10))).counselling.initial_advice_sessions == 2


async def test_the_reference_date_ends_at_midnight_in_berlin(project, figures):
    # 23:30 UTC on 31 Dec is already 1 Jan in Berlin: not part of a sheet as of 31 Dec
    await project(advice_given(recorded_at=datetime(2019, 12, 31, 23, 30, tzinfo=UTC)))
    assert (await figures(as_of=date(2019, 12, 31))).counselling.initial_advice_sessions == 0
    assert (await figures(as_of=date(2020, 1, 1))).counselling.initial_advice_sessions == 1


async def test_the_period_is_the_day_of_the_activity(project, figures):
    await project(advice_given(occurred_on=date(2018, 12, 31)), advice_given())
    assert (await figures()).counselling.initial_advice_sessions == 1


async def test_a_scope_of_regions_sums_only_them(project, figures):
    await project(advice_given(region="DE-NW"), advice_given(region="DE-BY"), advice_given(region="DE-HH"))
    scoped = await figures(regions=["DE-BY", "DE-HH"])
    assert scoped.counselling.initial_advice_sessions == 2
    assert sorted(scoped.by_region) == ["DE-BY", "DE-HH"]


async def test_a_regional_instance_projects_only_its_region(project, figures):
    await project(advice_given(region="DE-NW"), advice_given(region="DE-BY"), region="DE-NW")
    assert sorted((await figures()).by_region) == ["DE-NW"]


async def test_a_regional_instance_follows_its_record_corrected_into_another_region(project, figures):
    fact = advice_given(region="DE-NW")
    await project(fact, region="DE-NW")
    await project(correction_of(fact, region="DE-BY", recorded_at=datetime(2020, 1, 5, tzinfo=UTC)), region="DE-NW")
    assert (await figures(as_of=date(2020, 1, 4))).counselling.initial_advice_sessions == 1
    moved = await figures(as_of=date(2020, 1, 5))
    assert moved.counselling.initial_advice_sessions == 0
    assert "DE-BY" not in moved.by_region  # the other region's figures are not this instance's
