"""`iq-reporting rebuild` alone: its time and peak memory, in a minute instead of the full
bench's seven. N events of the bench stream are published once to a fresh local broker; then
the rebuild CLI runs R times, each into a fresh SQLite file, its RSS sampled every 50 ms.

    .venv/bin/python -m bench.reporting_rebuild [--events 200000] [--rounds 2]

For a before/after, run it with PYTHONPATH pointing at a frozen copy of the code before
(bench/README.md, "Session of 2026-12-03")."""

import argparse
import asyncio
import shutil
import tempfile
from pathlib import Path

from bench import machine
from bench.reporting import SECRET, publish, rebuild
from bench.reporting_events import Stream
from iq_runtime import local_broker


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
        asyncio.run(publish(bootstrap, Stream().events(args.events), None))
        env = {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "IQ_AUTH_SECRET": SECRET, "IQ_LOG_LEVEL": "WARNING"}
        for round_ in range(1, args.rounds + 1):
            r = rebuild(env | {"DATABASE_URL": f"sqlite:///{data_dir / f'rebuild-{round_}.db'}"}, data_dir)
            print(f"rebuild {round_}: {args.events:,} events in {r['seconds']:.1f} s "
                  f"({args.events / r['seconds']:,.0f} events/s), peak RSS {r['rss']:.0f} MB", flush=True)
        shutil.rmtree(data_dir)  # kept after a failure: its rebuild.log says why
    finally:
        local_broker.stop(broker)
    print(machine.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
