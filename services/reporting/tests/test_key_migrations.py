"""Migrations 0007 and 0008 on an existing projection (SQLite and PostgreSQL): the rows stay
as they were, the person counters get their new key order, the index by recording day goes;
and back down."""

import asyncio

from alembic import command
from sqlalchemy import inspect, select

from iq_reporting.bootstrap import MIGRATIONS
from iq_reporting.store import figure_counts, person_period_counts, person_period_months
from iq_runtime.migrations import alembic_config

COUNTERS = (person_period_counts, person_period_months)


async def all_rows(sessions) -> list[set]:
    async with sessions() as session:
        return [set(await session.execute(select(table))) for table in (*COUNTERS, figure_counts)]


async def layout(sessions) -> dict:
    def read(connection):
        inspector = inspect(connection)
        keys = {t.name: inspector.get_pk_constraint(t.name)["constrained_columns"] for t in COUNTERS}
        return keys | {"indexes": sorted(i["name"] for i in inspector.get_indexes(figure_counts.name))}
    async with sessions() as session:
        return await session.run_sync(lambda s: read(s.connection()))


async def test_the_person_counters_are_keyed_by_recording_day_and_keep_their_rows(project, sessions,
                                                                                 event_stream, database_url):
    await project(*event_stream(seed=8, facts=300))
    written = await all_rows(sessions)
    assert all(written)
    assert await layout(sessions) == {
        "person_period_counts": ["area", "grain", "period_start", "recorded_on", "scope"],
        "person_period_months": ["area", "grain", "period_start", "recorded_month", "scope"], "indexes": []}

    config = alembic_config(MIGRATIONS, database_url)
    await asyncio.to_thread(command.downgrade, config, "0006")
    assert await layout(sessions) == {
        "person_period_counts": ["area", "scope", "grain", "period_start", "recorded_on"],
        "person_period_months": ["area", "scope", "grain", "period_start", "recorded_month"],
        "indexes": ["figure_counts_by_recording_day"]}
    assert await all_rows(sessions) == written

    await asyncio.to_thread(command.upgrade, config, "head")
    assert (await layout(sessions))["person_period_counts"][3] == "recorded_on"
    assert await all_rows(sessions) == written
    await project(*event_stream(seed=9, facts=50))  # and the projector writes on the new keys
