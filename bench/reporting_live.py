"""Live windows in-process, without Kafka: a projection holding N events of the bench stream,
then K windows of W events recorded now, each applied as `serve` applies a live window
(decode, ledger, fold, flush, commit; since 2026-12-02 evening with the decode, ~2 ms more
per window of 150 than the numbers recorded before); wall time per window. The number behind the visibility
latency, measurable in seconds (the full bench takes minutes), e.g. before and after a change:

    .venv/bin/python -m bench.reporting_live [--stored 60000] [--window 150] [--windows 40]"""

import argparse
import asyncio
import statistics
import time

from bench import machine
from bench.reporting_db import InProcess
from bench.reporting_events import Stream
from bench.reporting_events import record as as_record
from iq_reporting import wal
from iq_reporting.bootstrap import WINDOW_EVENTS
from iq_runtime.database import dispose


async def run(stored: int, window: int, windows: int) -> list[float]:
    projection, stream = InProcess("iq-bench-live-"), Stream()
    checkpoints = asyncio.create_task(wal.checkpoint_forever(projection.engine))  # as in `serve`
    try:
        backlog = [as_record(kind, event) for kind, event in stream.events(stored)]
        for i in range(0, stored, WINDOW_EVENTS):  # as `serve` drains a backlog
            await projection.apply(backlog[i:i + WINDOW_EVENTS])
        del backlog
        live = list(stream.records(window * windows, recorded_now=True))
        took = []
        for i in range(windows):
            started = time.perf_counter()
            await projection.apply(live[i * window:(i + 1) * window])
            took.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)  # the fetch between two live windows
        return took
    finally:
        checkpoints.cancel()
        await asyncio.gather(checkpoints, return_exceptions=True)
        await dispose(projection.engine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=60_000)
    parser.add_argument("--window", type=int, default=150)
    parser.add_argument("--windows", type=int, default=40)
    args = parser.parse_args()
    print(machine.describe())
    took = asyncio.run(run(args.stored, args.window, args.windows))
    print(f"{args.stored:,} events stored, {args.windows} live windows of {args.window}: median "
          f"{statistics.median(took) * 1000:.1f} ms, max {max(took) * 1000:.1f} ms, "
          f"{statistics.median(took) / args.window * 1e6:.0f} us per event")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
