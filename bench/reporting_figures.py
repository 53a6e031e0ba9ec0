"""The figures phase of the reporting benchmark on its own, without Kafka:

    .venv/bin/python -m bench.reporting --figures-only [--events 1000000] [--scale 10] [--database-url URL]

N events of the same stream are projected in-process (the real `Projector`, batches of
`bootstrap.WINDOW_EVENTS`, as `serve` applies them; events/s and CPU us/event reported: the write cost of the
rollups) into a fresh database together with the GROUP BY baseline's table of all events,
then scaled, measured and served exactly as in the full run (`reporting.figures_api`)."""

import sys
import tempfile
import time
from pathlib import Path

from bench import reporting
from bench import reporting_db as db
from bench.reporting_events import Stream, decoded
from bench.reporting_events import record as as_record
from iq_reporting.bootstrap import MIGRATIONS, WINDOW_EVENTS
from iq_reporting.projector import Projector
from iq_runtime import local_broker
from iq_runtime.auth import Role, issue_token
from iq_runtime.database import create_engine, session_factory
from iq_runtime.migrations import upgrade
from iq_runtime.platform import start_service, stop_all, wait_healthy

BATCH = WINDOW_EVENTS


async def project(url: str, events: int) -> dict:
    """The stream into the projection (and the baseline's table), batch by batch."""
    upgrade(MIGRATIONS, url)
    table = db.EventsTable(url)
    await table.create()
    engine = create_engine(url)
    sessions, projector = session_factory(engine), Projector("national")
    wall = cpu = 0.0
    batch = []
    for kind, event in Stream().events(events):
        await table.add(kind, event)
        record = as_record(kind, event)
        batch.append(decoded(record))
        if len(batch) == BATCH:
            wall, cpu = await _apply(sessions, projector, batch, wall, cpu)
            batch = []
    if batch:
        wall, cpu = await _apply(sessions, projector, batch, wall, cpu)
    await table.close()
    await engine.dispose()
    return {"events": events, "seconds": wall, "rate": events / wall, "cpu_us": cpu / events * 1e6}


async def _apply(sessions, projector, batch, wall: float, cpu: float) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    async with sessions.begin() as session:
        await projector(session, batch)
    return wall + time.perf_counter() - started, cpu + time.process_time() - started_cpu


async def run(args) -> dict:
    port = local_broker.free_port()
    broker = local_broker.start(port)  # the service's consumer idles on it
    data_dir = Path(tempfile.mkdtemp(prefix="iq-bench-figures-"))
    url = db.fresh(args.database_url, data_dir)
    env = {"KAFKA_BOOTSTRAP_SERVERS": f"{local_broker.HOST}:{port}", "IQ_AUTH_SECRET": reporting.SECRET,
           "IQ_LOG_LEVEL": "WARNING", "DATABASE_URL": url}
    r: dict = {"events": args.events, "data_dir": str(data_dir)}
    services = []
    try:
        r["projection"] = await project(url, args.events)
        print(f"projected {args.events:,} events in-process: {r['projection']['rate']:,.0f} events/s, "
              f"{r['projection']['cpu_us']:.0f} us CPU/event", file=sys.stderr)
        r["scaled"] = await db.scale(url, args.scale)
        r["group_by"] = await db.group_by_baseline(url)
        service = start_service("reporting", local_broker.free_port(), env, data_dir)
        services.append(service)
        wait_healthy(service)
        rss = reporting.PeakRss(service.process.pid)
        token = issue_token(reporting.SECRET, "bench", "national", Role.ANALYST)
        r["figures"] = await reporting.figures_api(service.url, token, args.rounds)
        r["figures_rss"] = rss.stop()
    finally:
        stop_all(services)
        local_broker.stop(broker)
    return r


def table(r: dict) -> str:
    p = r["projection"]
    rows = [(f"in-process projection of {r['events']:,} events", f"{p['rate']:,.0f} events/s",
             f"{p['cpu_us']:.0f} us CPU/event", "", ""),
            *reporting.figures_rows(r),
            ("peak RSS of the reporting process (figures)", f"{r['figures_rss']:.0f} MB", "", "<= 256 MB",
             r["figures_rss"] <= 256)]
    lines = ["| measure | result | ratio | goal | met |", "|---|---|---|---|---|"]
    for name, value, ratio, goal, met in rows:
        verdict = "" if goal == "" else ("met" if met else "**missed**")
        lines.append(f"| {name} | {value} | {ratio} | {goal} | {verdict} |")
    return "\n".join(lines + reporting.figures_table(r))
