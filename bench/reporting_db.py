"""The reporting benchmark's database side: a fresh database, the naive consumer's table,
the ledger's offsets as seen from outside, scaling the projection, the GROUP BY baseline,
and a projection in-process (the benches without Kafka)."""

import contextlib
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.reporting_events import decoded
from iq_reporting import wal
from iq_reporting.bootstrap import MIGRATIONS
from iq_reporting.projector import Projector
from iq_reporting.store import applied_events, partition_offsets
from iq_runtime import collector
from iq_runtime.database import create_engine, session_factory
from iq_runtime.ledger import Ledger
from iq_runtime.migrations import upgrade

EVENT_COLUMNS = "event_type, region, occurred_on, recorded_on, dimension, person_ref"
NAIVE_INSERT = ("INSERT INTO bench_naive_events (event_id, event_type, region, occurred_on, recorded_at, body) "
                "VALUES (:event_id, :event_type, :region, :occurred_on, :recorded_at, :body)")


def fresh(url: str | None, data_dir: Path) -> str:
    """A SQLite file in `data_dir`, or the PostgreSQL database of `url` dropped and created."""
    if not url:
        return f"sqlite:///{data_dir}/reporting.db"
    import psycopg

    parsed = make_url(url)
    if not (parsed.database or "").startswith("iq_bench"):
        raise SystemExit("--database-url: the database is dropped and created; its name must start with iq_bench")
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{parsed.database}"')
    return url


def _day(engine, value: str):
    return value if engine.dialect.name == "sqlite" else date.fromisoformat(value)


async def naive_table(url: str):
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text(
            "CREATE TABLE IF NOT EXISTS bench_naive_events (event_id VARCHAR(36) PRIMARY KEY, "
            "event_type VARCHAR(100), region VARCHAR(5), occurred_on DATE, recorded_at VARCHAR(40), body TEXT)"))
    return engine, session_factory(engine)


def naive_row(event, engine) -> dict:
    return {"event_id": str(event.event_id), "event_type": event.ce_type(), "region": event.region.value,
            "occurred_on": _day(engine, event.occurred_on.isoformat()),
            "recorded_at": event.recorded_at.isoformat(), "body": event.model_dump_json()}


class EventsTable:
    """Every published event as one row: what a GROUP BY sheet would read."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.rows: list[dict] = []

    async def create(self) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text(
                "CREATE TABLE bench_events (copy INTEGER NOT NULL DEFAULT 0, event_type VARCHAR(100), "
                "region VARCHAR(5), occurred_on DATE, recorded_on DATE, dimension VARCHAR(60), "
                "person_ref VARCHAR(64))"))

    async def add(self, kind, event: dict) -> None:
        dimension = next((event[f] for f in ("kind", "format", "outcome", "session_type") if f in event), "")
        self.rows.append({"event_type": kind.__name__, "region": event["region"],
                          "occurred_on": _day(self.engine, event["occurred_on"]),
                          "recorded_on": _day(self.engine, event["recorded_at"][:10]),
                          "dimension": dimension, "person_ref": event.get("person_ref")})
        if len(self.rows) >= 20_000:
            await self.flush()

    async def flush(self) -> None:
        if self.rows:
            async with self.engine.begin() as connection:
                await connection.execute(text(f"INSERT INTO bench_events ({EVENT_COLUMNS}) VALUES "
                                              "(:event_type, :region, :occurred_on, :recorded_on, :dimension, "
                                              ":person_ref)"), self.rows)
            self.rows = []

    async def close(self) -> None:
        await self.flush()
        await self.engine.dispose()


class Offsets:
    """The projection's committed offsets, read from its database while it runs."""

    @classmethod
    async def open(cls, url: str) -> "Offsets":
        self = cls()
        self.engine = create_engine(url)
        return self

    async def by_partition(self) -> dict[tuple[str, int], int]:
        async with self.engine.connect() as connection:
            try:
                rows = await connection.execute(text("SELECT topic, partition, next_offset FROM partition_offsets"))
            except Exception:  # not migrated yet
                return {}
            return {(topic, partition): offset for topic, partition, offset in rows}

    async def total(self) -> int:
        return sum((await self.by_partition()).values())

    async def close(self) -> None:
        await self.engine.dispose()


async def scale(url: str, k: int) -> dict:
    """k copies of the projected stream with distinct persons: exact for that stream. Person
    references of copy i start with g<i> (never hex, so never a real pseudonym)."""
    engine = create_engine(url)
    started = time.perf_counter()
    async with engine.begin() as c:
        for i in range(1, k):
            await c.execute(text(f"INSERT INTO bench_events (copy, {EVENT_COLUMNS}) SELECT {i}, event_type, region, "
                                 "occurred_on, recorded_on, dimension, 'g' || :i || substr(person_ref, 3) "
                                 "FROM bench_events WHERE copy = 0"), {"i": str(i)})
            await c.execute(text("INSERT INTO distinct_persons (area, occurred_on, recorded_on, region, person_ref, "
                                 "delta) SELECT area, occurred_on, recorded_on, region, 'g' || :i || "
                                 "substr(person_ref, 3), delta FROM distinct_persons "
                                 "WHERE person_ref NOT LIKE 'g%'"), {"i": str(i)})
        await c.execute(text("UPDATE figure_counts SET count = count * :k"), {"k": k})
        for table, amount in (("figure_rollups", "count"), ("person_period_counts", "delta"),
                              ("person_period_months", "delta")):
            await c.execute(text(f"UPDATE {table} SET {amount} = {amount} * :k"), {"k": k})
    async with engine.connect() as c:
        await c.execute(text("ANALYZE"))
        events = (await c.execute(text("SELECT count(*) FROM bench_events"))).scalar_one()
        counts = (await c.execute(text("SELECT count(*) FROM figure_counts"))).scalar_one()
        persons = (await c.execute(text("SELECT count(*) FROM distinct_persons"))).scalar_one()
    await engine.dispose()
    return {"seconds": time.perf_counter() - started, "events_table_rows": events, "events": events,
            "figure_counts_rows": counts, "distinct_persons_rows": persons}


async def group_by_baseline(url: str, rounds: int = 3) -> dict:
    """The 2020 sheet's counts and distinct persons by region, straight from all events."""
    engine = create_engine(url)
    counts = text("SELECT region, event_type, dimension, count(*) FROM bench_events "
                  "WHERE occurred_on BETWEEN :start AND :end AND recorded_on <= :as_of "
                  "GROUP BY region, event_type, dimension")
    persons = text("SELECT region, event_type, count(DISTINCT person_ref) FROM bench_events "
                   "WHERE occurred_on BETWEEN :start AND :end AND recorded_on <= :as_of GROUP BY region, event_type")
    params = {name: _day(engine, value) for name, value in
              (("start", "2020-01-01"), ("end", "2020-12-31"), ("as_of", "2026-11-01"))}
    times = []
    async with engine.connect() as c:
        for _ in range(rounds):
            started = time.perf_counter()
            (await c.execute(counts, params)).all()
            (await c.execute(persons, params)).all()
            times.append(time.perf_counter() - started)
    await engine.dispose()
    return {"seconds": min(times)}


class InProcess:
    """The national projection on a fresh SQLite file, tuned as `serve` tunes it; `apply`
    applies one window of records as `serve` does (decode, ledger, fold, flush, commit, the
    collector paused)."""

    def __init__(self, prefix: str) -> None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix=prefix)}/reporting.db"
        upgrade(MIGRATIONS, url)
        self.engine = create_engine(url)
        wal.tune(self.engine)
        self.sessions, self.projector = session_factory(self.engine), Projector("national")
        self.ledger = Ledger(applied_events, partition_offsets, "bench")

    async def apply(self, records: list, pause_collector: bool = True) -> None:
        with collector.paused() if pause_collector else contextlib.nullcontext():
            # the decoded events die with the statement, before the collector resumes, as in
            # `serve`: held until then, its first collection walked all of them (~7 us an event)
            async with self.sessions.begin() as session:
                await self.projector(session, await self.ledger.admit(session, [decoded(r) for r in records]))
