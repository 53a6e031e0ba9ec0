"""`iq-reporting rebuild` alone: its time and peak memory, in a minute instead of the full
bench's seven. N events of the bench stream are published once to a fresh local broker; then
the rebuild CLI runs R times, each into a fresh SQLite file, its RSS sampled every 50 ms.

    .venv/bin/python -m bench.reporting_rebuild [--events 200000] [--rounds 2]

For a before/after, run it with PYTHONPATH pointing at a frozen copy of the code before
(bench/README.md, "Session of 2026-12-03")."""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench import machine
from bench import reporting_db as db
from bench.reporting import MB, SECRET, publish
from bench.reporting_events import Stream
from iq_runtime import local_broker

REBUILD = "import sys; from iq_reporting.cli import main; sys.exit(main(['rebuild']))"


def rebuild_once(env: dict, database: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one rebuild into `database`."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", REBUILD], env=env | {"DATABASE_URL": f"sqlite:///{database}"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    if process.returncode:
        raise RuntimeError(f"rebuild failed: {process.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - started, peak / MB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(machine.describe())
    port = local_broker.free_port()
    broker = local_broker.start(port)
    bootstrap = f"{local_broker.HOST}:{port}"
    data_dir = Path(tempfile.mkdtemp(prefix="iq-bench-rebuild-"))
    try:
        asyncio.run(publish(bootstrap, Stream().events(args.events), db.EventsTable(db.fresh(None, data_dir))))
        env = os.environ | {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "IQ_AUTH_SECRET": SECRET, "IQ_LOG_LEVEL": "WARNING"}
        for round_ in range(1, args.rounds + 1):
            seconds, peak = rebuild_once(env, data_dir / f"rebuild-{round_}.db")
            print(f"rebuild {round_}: {args.events:,} events in {seconds:.1f} s "
                  f"({args.events / seconds:,.0f} events/s), peak RSS {peak:.0f} MB", flush=True)
    finally:
        local_broker.stop(broker)
    print(machine.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
