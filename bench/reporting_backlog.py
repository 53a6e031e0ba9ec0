"""Backlog windows in-process, without Kafka: N events of the bench stream decoded and applied
in windows of W events as `serve` drains a backlog (decode, ledger, fold, flush, commit),
with the garbage collector paused as `serve` pauses it, or left on to see what that costs.
The number behind the sustained rate and the rebuild, measurable in seconds:

    .venv/bin/python -m bench.reporting_backlog [--events 100000] [--window 15000] [--collector on]"""

import argparse
import asyncio
import contextlib
import gc
import tempfile
import time

from bench import machine
from bench.reporting_events import Stream, decoded
from bench.reporting_events import record as as_record
from iq_reporting import wal
from iq_reporting.bootstrap import MIGRATIONS, WINDOW_EVENTS
from iq_reporting.projector import Projector
from iq_reporting.store import applied_events, partition_offsets
from iq_runtime import collector
from iq_runtime.database import create_engine, dispose, session_factory
from iq_runtime.ledger import Ledger
from iq_runtime.migrations import upgrade


async def run(events: int, window: int, pause_collector: bool) -> tuple[float, float]:
    """Wall and CPU seconds of applying the backlog."""
    url = f"sqlite:///{tempfile.mkdtemp(prefix='iq-bench-backlog-')}/reporting.db"
    upgrade(MIGRATIONS, url)
    engine = create_engine(url)
    wal.tune(engine)
    sessions, projector = session_factory(engine), Projector("national")
    ledger = Ledger(applied_events, partition_offsets, "bench")
    records = [as_record(kind, event) for kind, event in Stream().events(events)]
    # the stream stands for what arrives from Kafka a fetch at a time: kept out of the
    # collector's walks, which would otherwise count it against `--collector on`
    gc.collect()
    gc.freeze()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, events, window):
            with collector.paused() if pause_collector else contextlib.nullcontext():
                deliveries = [decoded(record) for record in records[i:i + window]]
                async with sessions.begin() as session:
                    await projector(session, await ledger.admit(session, deliveries))
                del deliveries
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await dispose(engine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--window", type=int, default=WINDOW_EVENTS)
    parser.add_argument("--collector", choices=("paused", "on"), default="paused")
    args = parser.parse_args()
    print(machine.describe())
    wall, cpu = asyncio.run(run(args.events, args.window, args.collector == "paused"))
    print(f"{args.events:,} events in windows of {args.window:,}, collector {args.collector}: "
          f"{args.events / wall:,.0f} events/s, {cpu / args.events * 1e6:.0f} us CPU per event")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
