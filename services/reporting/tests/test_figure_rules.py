"""Every figure rule of the sheet (DESIGN.md): reference date, corrections, retractions,
cohorts, distinct persons, contact points, out-of-order versions; on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

from iq_contracts.occupations import kldb_labels
from iq_contracts.registry import EVENT_TYPES
from iq_reporting.periods import Period
from iq_reporting.rules import records_of
from tests import factories
from tests.factories import (
    advice_given,
    consultation_held,
    contact_point_closed,
    contact_point_corrected,
    contact_point_opened,
    contact_point_retracted,
    correction_of,
    fair_advice_given,
    fair_event_held,
    person_ref,
    referred_to_fair_mobility,
    retraction_of,
    scheme_completed,
    scheme_opened,
    scheme_started,
    stakeholder_event_held,
)


def at(y, m, d, hour=10):
    return datetime(y, m, d, hour, tzinfo=UTC)


async def test_a_correction_replaces_the_record_from_its_recording_day_only(project, figures):
    fact = advice_given(kind="recognition")
    await project(fact)
    await project(correction_of(fact, kind="job_training", recorded_at=at(2020, 1, 15)))
    before, after = await figures(as_of=date(2020, 1, 14)), await figures(as_of=date(2020, 1, 15))
    assert before.counselling.initial_advice_by_kind == {"recognition": 1, "job_training": 0,
                                                         "recognition_and_job_training": 0}
    assert after.counselling.initial_advice_by_kind == {"recognition": 0, "job_training": 1,
                                                        "recognition_and_job_training": 0}
    assert after.counselling.initial_advice_sessions == 1


async def test_a_correction_can_move_a_record_out_of_the_period(project, figures):
    fact = advice_given()
    await project(fact, correction_of(fact, occurred_on=date(2018, 12, 3), recorded_at=at(2019, 3, 5)))
    assert (await figures(as_of=date(2019, 3, 4))).counselling.initial_advice_sessions == 1
    assert (await figures(as_of=date(2019, 3, 5))).counselling.initial_advice_sessions == 0


async def test_a_retraction_counts_before_its_recording_day_and_not_from_it(project, figures):
    fact = advice_given()
    await project(fact)
    await project(retraction_of(fact, recorded_at=at(2020, 2, 1)))
    assert (await figures(as_of=date(2020, 1, 31))).counselling.initial_advice_sessions == 1
    assert (await figures(as_of=date(2020, 2, 1))).counselling.initial_advice_sessions == 0
    assert (await figures(as_of=date(2030, 1, 1))).counselling.initial_advice_sessions == 0


async def test_a_region_whose_only_record_is_retracted_leaves_the_sheet(project, figures):
    await project(advice_given(region="DE-NW"))
    fact = advice_given(region="DE-HH")
    await project(fact)
    await project(retraction_of(fact, recorded_at=at(2020, 2, 1)))  # its rows now sum to zero
    assert set((await figures(as_of=date(2020, 1, 31))).by_region) == {"DE-HH", "DE-NW"}
    assert set((await figures(as_of=date(2020, 2, 1))).by_region) == {"DE-NW"}
    assert set((await figures(as_of=date(2020, 2, 1), regions=["DE-HH"])).by_region) == {"DE-HH"}  # asked for


async def test_distinct_persons_are_exact(project, figures):
    anna, ben = person_ref("anna"), person_ref("ben")
    await project(advice_given(person_ref=anna), advice_given(person_ref=anna, session_type="follow_up"),
                  advice_given(person_ref=ben), advice_given(person_ref=ben, region="DE-BY"))
    sheet = await figures()
    assert sheet.counselling.persons_advised == 2
    assert sheet.by_region["DE-NW"].counselling.persons_advised == 2
    assert sheet.by_region["DE-BY"].counselling.persons_advised == 1


async def test_a_person_whose_only_session_is_retracted_is_no_longer_counted(project, figures):
    only, twice = advice_given(person_ref=person_ref("only")), advice_given(person_ref=person_ref("twice"))
    await project(only, twice, advice_given(person_ref=person_ref("twice")))
    await project(retraction_of(only, recorded_at=at(2020, 1, 2)), retraction_of(twice, recorded_at=at(2020, 1, 2)))
    assert (await figures(as_of=date(2020, 1, 1))).counselling.persons_advised == 2
    assert (await figures(as_of=date(2020, 1, 2))).counselling.persons_advised == 1


async def test_a_person_corrected_to_another_reference_moves(project, figures):
    fact = advice_given(person_ref=person_ref("wrong"))
    await project(fact, advice_given(person_ref=person_ref("right")))
    await project(correction_of(fact, person_ref=person_ref("right"), recorded_at=at(2020, 1, 2)))
    assert (await figures(as_of=date(2020, 1, 1))).counselling.persons_advised == 2
    assert (await figures(as_of=date(2020, 1, 2))).counselling.persons_advised == 1


async def test_successful_completers_are_the_cohort_that_started_in_the_period(project, figures):
    await project(
        scheme_started(occurred_on=date(2019, 2, 1)),
        scheme_completed(started_on=date(2019, 2, 1), occurred_on=date(2020, 1, 31), recorded_at=at(2020, 3, 1)),
        scheme_completed(started_on=date(2018, 5, 1), occurred_on=date(2019, 4, 30)),  # started before 2019
        scheme_completed(started_on=date(2019, 3, 1), outcome="discontinued"),
    )
    as_of_feb, as_of_march = await figures(as_of=date(2020, 2, 20)), await figures(as_of=date(2020, 3, 1))
    assert as_of_feb.training.successful_completers == 0
    assert as_of_march.training.successful_completers == 1
    assert as_of_march.training.completers_by_outcome == {"full_recognition": 1, "employment_appropriate": 0,
                                                          "discontinued": 1, "other": 0}
    assert as_of_march.training.completions_in_period == 2  # the 2018 start and the discontinued one
    assert as_of_march.training.participants_commencing == 1


async def test_a_retracted_start_takes_its_completion_with_it(project, figures):
    start = scheme_started()
    completion = scheme_completed(enrolment_id=start.enrolment_id, scheme_id=start.scheme_id)
    await project(start, completion)
    await project(retraction_of(start, recorded_at=at(2020, 1, 5)))
    before, after = await figures(as_of=date(2020, 1, 4)), await figures(as_of=date(2020, 1, 5))
    assert (before.training.participants_commencing, before.training.successful_completers) == (1, 1)
    assert (after.training.participants_commencing, after.training.successful_completers) == (0, 0)
    assert after.training.completions_in_period == 0


async def test_a_corrected_outcome_changes_the_completers_from_the_correction_on(project, figures):
    completion = scheme_completed(outcome="other")
    await project(completion)
    await project(correction_of(completion, outcome="employment_appropriate", recorded_at=at(2020, 1, 5)))
    assert (await figures(as_of=date(2020, 1, 4))).training.successful_completers == 0
    assert (await figures(as_of=date(2020, 1, 5))).training.successful_completers == 1


async def test_schemes_by_format_with_shares_and_participants_by_esf_attribute(project, figures):
    await project(scheme_opened(format="course"), scheme_opened(format="course"), scheme_opened(format="individual"),
                  scheme_opened(occurred_on=date(2020, 1, 2)),
                  scheme_started(esf={"gender": "female", "age_band": "30_54", "isced": "isced_5_8",
                                      "labour_market_status": "unemployed", "third_country_national": "yes",
                                      "foreign_background": "yes"}), scheme_started())
    training = (await figures()).training
    assert training.schemes_started == 3
    assert training.schemes_by_format == {"course": 2, "individual": 1}
    assert training.schemes_by_format_shares == {"course": 0.6667, "individual": 0.3333}
    assert training.esf["gender"] == {"female": 1, "male": 0, "diverse": 0, "not_stated": 1}
    assert training.esf["isced"]["isced_5_8"] == 1


async def test_top_occupations_are_five_with_labels_and_isco_mapped_to_kldb(project, figures):
    codes = ["11101", "12101", "21112", "22101", "23101", "81404", "81302"]  # the last: most frequent
    events = [advice_given(occupation={"classification": "kldb2010", "code": code})
              for i, code in enumerate(codes) for _ in range(i + 1)]
    await project(*events)
    top = (await figures()).counselling.top_occupations
    assert [(o.code, o.count) for o in top] == [(codes[6], 7), (codes[5], 6), (codes[4], 5), (codes[3], 4),
                                                (codes[2], 3)]
    assert top[0].label == kldb_labels()["81302"]
    await project(*[advice_given(occupation={"classification": "isco08", "code": "2221"}) for _ in range(2)])
    top = (await figures()).counselling.top_occupations
    assert (top[0].code, top[0].classification, top[0].count) == ("81302", "kldb2010", 9)  # 2221 maps to 81302


async def test_top_countries_are_named(project, figures):
    await project(*[advice_given(qualification_country=code) for code in ("SY", "SY", "UA", "XK")])
    top = (await figures()).counselling.top_countries
    assert [(c.code, c.label, c.count) for c in top] == [("SY", "Syria", 2), ("UA", "Ukraine", 1), ("XK", "Kosovo", 1)]


async def test_contact_points_active_in_a_period_as_known_on_the_reference_date(project, figures):
    second_half = Period(date(2019, 7, 1), date(2019, 12, 31))
    await project(contact_point_opened(contact_point="koeln-01"),
                  contact_point_opened(contact_point="bus-1", contact_point_type="mobile"),
                  contact_point_opened(contact_point="later", occurred_on=date(2020, 1, 1)))
    await project(contact_point_closed(contact_point="koeln-01", occurred_on=date(2019, 6, 30),
                                       recorded_at=at(2019, 8, 1)))
    assert (await figures(period=second_half, as_of=date(2019, 7, 31))).counselling.contact_points == {
        "permanent": 1, "mobile": 1}
    assert (await figures(period=second_half, as_of=date(2019, 8, 1))).counselling.contact_points == {
        "permanent": 0, "mobile": 1}
    assert (await figures()).counselling.contact_points == {"permanent": 1, "mobile": 1}  # open until 30 June


async def test_a_corrected_or_retracted_contact_point_counts_as_corrected_from_the_correction_on(project, figures):
    """koeln-01 opened 2018-01-01 as permanent; corrected on 2019-08-01 to a mobile one that
    opened 2018-03-01 and closed 2018-12-31; retracted on 2019-09-01 (recorded in error)."""
    year_2018, early_2018 = Period(date(2018, 1, 1), date(2018, 12, 31)), Period(date(2018, 1, 1), date(2018, 2, 28))
    await project(contact_point_opened(contact_point="koeln-01"))
    await project(contact_point_corrected(closed_on=date(2018, 12, 31)))
    as_known = {as_of: ((await figures(period=year_2018, as_of=as_of)).counselling.contact_points,
                        (await figures(period=early_2018, as_of=as_of)).counselling.contact_points,
                        (await figures(as_of=as_of)).counselling.contact_points)
                for as_of in (date(2019, 7, 31), date(2019, 8, 1))}
    assert as_known[date(2019, 7, 31)] == ({"permanent": 1, "mobile": 0},) * 3  # as published before
    assert as_known[date(2019, 8, 1)] == ({"permanent": 0, "mobile": 1}, {"permanent": 0, "mobile": 0},
                                          {"permanent": 0, "mobile": 0})  # closed before 2019
    await project(contact_point_retracted())
    assert (await figures(period=year_2018, as_of=date(2019, 8, 31))).counselling.contact_points["mobile"] == 1
    assert (await figures(period=year_2018, as_of=date(2019, 9, 1))).counselling.contact_points == {
        "permanent": 0, "mobile": 0}


async def test_contact_points_of_a_region_and_of_regions_without_any(project, figures):
    await project(contact_point_opened(contact_point="koeln-01"),
                  contact_point_opened(contact_point="bus-by", region="DE-BY", contact_point_type="mobile"))
    for regions, expected in ((["DE-NW"], {"permanent": 1, "mobile": 0}), (["DE-BY"], {"permanent": 0, "mobile": 1}),
                              (["DE-BY", "DE-NW"], {"permanent": 1, "mobile": 1}),
                              (["DE-HH"], {"permanent": 0, "mobile": 0})):
        sheet = await figures(regions=regions)
        assert sheet.counselling.contact_points == expected, regions
        assert {r: f.counselling.contact_points for r, f in sheet.by_region.items() if r in ("DE-BY", "DE-NW")} == {
            r: {"permanent": int(r == "DE-NW"), "mobile": int(r == "DE-BY")} for r in regions if r != "DE-HH"}


async def test_a_contact_point_opened_again_counts_once(project, figures):
    await project(contact_point_opened(occurred_on=date(2019, 1, 1)),
                  contact_point_closed(occurred_on=date(2019, 3, 31), recorded_at=at(2019, 4, 1)),
                  contact_point_opened(occurred_on=date(2019, 9, 1), recorded_at=at(2019, 9, 1)))
    assert (await figures()).counselling.contact_points["permanent"] == 1
    assert (await figures(period=Period(date(2019, 5, 1), date(2019, 8, 31)))).counselling.contact_points[
        "permanent"] == 0


async def test_intercultural_opening_per_target_group_with_totals(project, figures):
    await project(stakeholder_event_held(format="training", participants=12),
                  stakeholder_event_held(format="event", participants=40),
                  stakeholder_event_held(format="event", target_group="business", participants=7),
                  consultation_held(), consultation_held(organisation_type="job_centre", target_group="labour_market"))
    opening = (await figures()).intercultural_opening
    assert opening.labour_market.model_dump() == {
        "trainings": 1, "training_participants": 12, "events": 1, "event_participants": 40, "consultations": 1,
        "total_formats": 3, "total_participants": 52}
    assert (opening.business.events, opening.business.consultations, opening.business.total_formats) == (1, 1, 2)


async def test_a_consultation_reclassified_with_its_organisation_moves_group_from_the_correction_on(project, figures):
    # the stakeholders service corrects every consultation of an organisation registered with a wrong type
    fact = consultation_held(organisation_type="sme", target_group="business")
    await project(fact, correction_of(fact, organisation_type="employment_agency", target_group="labour_market",
                                      recorded_at=at(2019, 9, 2)))
    before, after = (await figures(as_of=date(2019, 9, 1))).intercultural_opening, \
        (await figures(as_of=date(2019, 9, 2))).intercultural_opening
    assert (before.business.consultations, before.labour_market.consultations) == (1, 0)
    assert (after.business.consultations, after.labour_market.consultations) == (0, 1)
    assert (after.business.total_formats, after.labour_market.total_formats) == (0, 1)


async def test_fair_integration_figures(project, figures):
    one, two = person_ref("f-1"), person_ref("f-2")
    retracted = fair_advice_given(person_ref=two)
    await project(fair_advice_given(person_ref=one, topics={"wages", "holiday"}),
                  fair_advice_given(person_ref=one, session_type="follow_up"), retracted,
                  retraction_of(retracted, recorded_at=at(2019, 6, 1)),
                  fair_event_held(participants=25), fair_event_held(participants=5),
                  referred_to_fair_mobility())
    fair = (await figures()).fair_integration
    assert (fair.individuals_advised, fair.advice_sessions) == (1, 2)
    assert fair.sessions_by_topic["wages"] == 2 and fair.sessions_by_topic["holiday"] == 1
    assert (fair.group_events, fair.group_event_participants, fair.fair_mobility_referrals) == (2, 30, 1)


async def test_a_correction_before_its_fact_gives_the_same_figures_as_in_order(project, figures):
    fact = advice_given(kind="recognition")
    correction = correction_of(fact, kind="job_training", recorded_at=at(2019, 6, 1))
    await project(correction)
    await project(fact)  # the fact arrives late (e.g. repaired from the dead-letter topic)
    for as_of, expected in ((date(2019, 3, 3), (0, 0)), (date(2019, 5, 31), (1, 0)), (date(2019, 6, 1), (0, 1))):
        kinds = (await figures(as_of=as_of)).counselling.initial_advice_by_kind
        assert (kinds["recognition"], kinds["job_training"]) == expected, as_of


async def test_a_retraction_before_its_fact_counts_the_fact_only_until_the_retraction(project, figures):
    fact = advice_given()
    await project(retraction_of(fact, recorded_at=at(2019, 6, 1)))
    assert (await figures(as_of=date(2019, 5, 31))).counselling.initial_advice_sessions == 0
    await project(fact)
    assert (await figures(as_of=date(2019, 5, 31))).counselling.initial_advice_sessions == 1
    assert (await figures(as_of=date(2019, 6, 1))).counselling.initial_advice_sessions == 0


async def test_a_late_correction_between_two_versions_counts_between_them(project, figures):
    fact = advice_given(kind="recognition")
    newest = correction_of(fact, kind="job_training", recorded_at=at(2019, 8, 1))
    late = correction_of(fact, kind="recognition_and_job_training", recorded_at=at(2019, 7, 1))
    await project(fact, newest)
    await project(late)  # another window: the earlier versions come from the stored state
    for as_of, kind in ((date(2019, 6, 30), "recognition"), (date(2019, 7, 1), "recognition_and_job_training"),
                        (date(2019, 7, 31), "recognition_and_job_training"), (date(2019, 8, 1), "job_training")):
        kinds = (await figures(as_of=as_of)).counselling.initial_advice_by_kind
        assert kinds == {k: int(k == kind) for k in kinds}, as_of


def test_every_published_event_type_belongs_to_a_record():
    """A new event type in the contracts must get a rule here, not be dropped silently."""
    examples = {type(e): e for e in (
        factories.advice_given(), factories.contact_point_opened(), factories.contact_point_closed(),
        factories.contact_point_corrected(), factories.contact_point_retracted(),
        factories.scheme_opened(), factories.scheme_started(), factories.scheme_completed(),
        factories.stakeholder_event_held(), factories.consultation_held(), factories.fair_advice_given(),
        factories.fair_event_held(), factories.referred_to_fair_mobility())}
    for fact in list(examples.values()):
        if type(fact) in factories.CORRECTION_OF:
            examples[factories.CORRECTION_OF[type(fact)]] = factories.correction_of(fact)
        if type(fact) in factories.RETRACTION_OF:
            examples[factories.RETRACTION_OF[type(fact)]] = factories.retraction_of(fact)
    assert set(examples) == set(EVENT_TYPES)
    assert all(records_of(event) for event in examples.values())
