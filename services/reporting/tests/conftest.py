"""Projection on a real database (SQLite and PostgreSQL), without Kafka: events in, sheet out."""

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from iq_contracts.codes import AdviceKind, AdviceMode, CompletionOutcome
from iq_contracts.envelope import envelope_for
from iq_reporting.bootstrap import MIGRATIONS
from iq_reporting.figures import sheet
from iq_reporting.periods import Period
from iq_reporting.projector import Projector
from iq_runtime.database import create_engine, session_factory
from iq_runtime.delivery import Delivery
from iq_runtime.migrations import upgrade
from tests.factories import (
    CORRECTION_OF,
    advice_given,
    consultation_held,
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

YEAR_2019 = Period(date(2019, 1, 1), date(2019, 12, 31))


@pytest.fixture
async def sessions(database_url):
    upgrade(MIGRATIONS, database_url)
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def project(sessions):
    async def project(*events, region="national"):
        """Apply `events` as ONE batch, as the projection consumer does."""
        deliveries = [Delivery(e, envelope_for(e, e.context), None) for e in events]
        async with sessions.begin() as session:
            await Projector(region)(session, deliveries)
    return project


@pytest.fixture
def figures(sessions):
    async def figures(as_of=date(2020, 2, 20), regions=None, period=YEAR_2019):
        async with sessions() as session:
            return await sheet(session, period, as_of, regions)
    return figures


def a_stream_of_events(seed: int, facts: int) -> list:
    """A realistic mix of every area: `facts` records in 2019 in four regions, recorded 0-60
    days late, about a tenth of them corrected and a tenth retracted later, in publication order."""
    rng = random.Random(seed)
    makers = [advice_given, advice_given, advice_given, scheme_opened, scheme_started, stakeholder_event_held,
              consultation_held, fair_advice_given, fair_event_held, referred_to_fair_mobility]
    people = [person_ref(f"p-{i}") for i in range(facts // 3 + 1)]
    events, later = [], []
    for _ in range(facts):
        occurred = date(2019, 1, 1) + timedelta(days=rng.randrange(365))
        recorded = datetime.combine(occurred, time(8), UTC) + timedelta(days=rng.randrange(60), hours=rng.randrange(16))
        fields = {"occurred_on": occurred, "recorded_at": recorded, "region": rng.choice(REGIONS)}
        maker = rng.choice(makers)
        if maker in (advice_given, fair_advice_given):
            fields["person_ref"] = rng.choice(people)
        if maker is advice_given:
            fields |= {"kind": rng.choice(list(AdviceKind)), "mode": rng.choice(list(AdviceMode)),
                       "qualification_country": rng.choice(["SY", "UA", "TR", "IN"])}
        fact = maker(**fields)
        events.append(fact)
        if maker is scheme_started and rng.random() < 0.6:
            events.append(scheme_completed(
                region=fact.region, enrolment_id=fact.enrolment_id, scheme_id=fact.scheme_id, started_on=occurred,
                occurred_on=occurred + timedelta(days=rng.randrange(30, 200)),
                outcome=rng.choice(list(CompletionOutcome)),
                recorded_at=recorded + timedelta(days=rng.randrange(30, 300))))
        change = rng.random()
        when = recorded + timedelta(days=rng.randrange(1, 120))
        if change < 0.1 and maker in CORRECTION_OF:
            corrected = {"recorded_at": when}
            if maker is advice_given:
                corrected["kind"] = rng.choice(list(AdviceKind))
            later.append(correction_of(fact, **corrected))
        elif change < 0.2:
            later.append(retraction_of(fact, recorded_at=when))
    return events + later


REGIONS = ["DE-NW", "DE-BY", "DE-HH", "DE-BE"]


@pytest.fixture
def event_stream():
    return a_stream_of_events


@pytest.fixture
def sheets():
    """Sheets for several periods, reference dates and scopes, as JSON: to compare projections."""
    async def sheets(session_maker) -> list[dict]:
        views = []
        for period in (YEAR_2019, Period(date(2019, 4, 1), date(2019, 6, 30)),
                       Period(date(2019, 5, 1), date(2019, 5, 31)), Period(date(2019, 11, 15), date(2020, 3, 1))):
            for as_of in (date(2019, 3, 1), date(2019, 8, 15), date(2020, 2, 20), date(2021, 1, 1)):
                for regions in (None, ["DE-NW"], ["DE-BY", "DE-HH"]):
                    async with session_maker() as session:
                        views.append((await sheet(session, period, as_of, regions)).model_dump(mode="json"))
        return views
    return sheets


@pytest.fixture
def project_into():
    """Project events in one batch into `session_maker`'s database; the national 2019 sheet
    as of 2030-01-01 (everything recorded), as the API returns it."""
    async def project_into(session_maker, events) -> dict:
        deliveries = [Delivery(e, envelope_for(e, e.context), None) for e in events]
        async with session_maker.begin() as session:
            await Projector("national")(session, deliveries)
        async with session_maker() as session:
            return (await sheet(session, YEAR_2019, date(2030, 1, 1), None)).model_dump(mode="json")
    return project_into
