"""Backlog windows in-process, without Kafka: N events of the bench stream decoded and applied
in windows of W events as `serve` drains a backlog (decode, ledger, fold, flush, commit),
with the garbage collector paused as `serve` pauses it, or left on to see what that costs.
The number behind the sustained rate and the rebuild, measurable in seconds:

    .venv/bin/python -m bench.reporting_backlog [--events 100000] [--window 15000] [--collector on]"""

import argparse
import asyncio
import gc
import time

from bench import machine
from bench.reporting_db import InProcess
from bench.reporting_events import Stream
from bench.reporting_events import record as as_record
from iq_reporting.bootstrap import WINDOW_EVENTS
from iq_runtime.database import dispose


async def run(events: int, window: int, pause_collector: bool) -> tuple[float, float]:
    """Wall and CPU seconds of applying the backlog."""
    projection = InProcess("iq-bench-backlog-")
    records = [as_record(kind, event) for kind, event in Stream().events(events)]
    # the stream stands for what arrives from Kafka a fetch at a time: kept out of the
    # collector's walks, which would otherwise count it against `--collector on`
    gc.collect()
    gc.freeze()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, events, window):
            await projection.apply(records[i:i + window], pause_collector)
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await dispose(projection.engine)


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
