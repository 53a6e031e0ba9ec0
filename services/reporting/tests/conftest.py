"""Projection on a real database (SQLite and PostgreSQL), without Kafka: events in, sheet out."""

from datetime import date

import pytest

from iq_contracts.envelope import envelope_for
from iq_reporting.bootstrap import MIGRATIONS
from iq_reporting.figures import sheet
from iq_reporting.periods import Period
from iq_reporting.projector import Projector
from iq_runtime.database import create_engine, session_factory
from iq_runtime.delivery import Delivery
from iq_runtime.migrations import upgrade

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
