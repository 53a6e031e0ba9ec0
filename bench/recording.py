"""Recording throughput: HTTP -> database + outbox -> Kafka, for one service process.

Starts a local broker and one `iq-counselling serve` process (SQLite, as a region runs it by
default), then drives `POST /v1/advice-sessions` from this process over keep-alive
connections with a small raw HTTP/1.1 client (a full HTTP client library would be the
bottleneck on two cores). Two phases:

- closed loop: N connections send as fast as answers come back -> the sustained ceiling;
- open loop at a fixed rate (default 1,000/s): requests leave on a schedule and latency is
  measured from the scheduled time, so a stall counts against it (no coordinated omission).

Every phase ends by waiting until the outbox relay has published every record, counted on
the topic itself, so records/s is HTTP -> database -> Kafka, not HTTP alone.

    .venv/bin/python -m bench.recording [--seconds 20] [--rate 1000] [--connections 16] [--open-connections 64]
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from aiokafka import AIOKafkaConsumer, TopicPartition

from bench import machine
from iq_contracts import topics
from iq_runtime import local_broker
from iq_runtime.auth import Role, issue_token
from iq_runtime.platform import ServiceProcess, start_service, stop_all, wait_healthy

SECRET = "bench-secret-long-enough-for-hs256-signing"
REGION = "DE-NW"


def session(n: int) -> bytes:
    return json.dumps({
        "region": REGION, "contact_point": "bench-01", "occurred_on": "2026-01-15", "kind": "recognition",
        "mode": "in_person", "occupation": {"classification": "kldb2010", "code": "81302"},
        "qualification_country": "SY", "occupation_regulated": True, "person_id": f"bench-{n}",
    }).encode()


class Connection:
    """One keep-alive HTTP/1.1 connection; requests on it are sequential."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.head = (f"POST /v1/advice-sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                     "Content-Type: application/json\r\n")

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def post(self, body: bytes) -> int:
        self.writer.write(f"{self.head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])


async def closed_loop(connections: list[Connection], seconds: float, counter: list[int]) -> list[float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker(connection: Connection) -> None:
        while time.perf_counter() < deadline:
            counter[0] += 1
            started = time.perf_counter()
            status = await connection.post(session(counter[0]))
            latencies.append(time.perf_counter() - started)
            assert status == 201, status

    await asyncio.gather(*(worker(c) for c in connections))
    return latencies


async def open_loop(connections: list[Connection], rate: float, seconds: float, counter: list[int]) -> list[float]:
    """Requests are due every 1/rate s; a free connection takes the next due request."""
    latencies: list[float] = []
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    next_index = [0]

    async def worker(connection: Connection) -> None:
        while next_index[0] < total:
            index = next_index[0]
            next_index[0] += 1
            due = start + index / rate
            if (wait := due - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            counter[0] += 1
            status = await connection.post(session(counter[0]))
            latencies.append(time.perf_counter() - due)
            assert status == 201, status

    await asyncio.gather(*(worker(c) for c in connections))
    return latencies


class Topic:
    """Counts the events on the counselling topic by reading them (the local broker's end
    offsets lag behind the last records, so they cannot be trusted for this)."""

    def __init__(self, bootstrap: str) -> None:
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                         auto_offset_reset="earliest")
        self.count = 0

    async def start(self) -> None:
        await self.consumer.start()
        await self.consumer.topics()
        self.consumer.assign([TopicPartition(topics.COUNSELLING, p)
                              for p in self.consumer.partitions_for_topic(topics.COUNSELLING)])
        self._reading = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=200, max_records=5000)
            self.count += sum(len(records) for records in batches.values())

    async def stop(self) -> None:
        self._reading.cancel()
        await self.consumer.stop()

    async def reached(self, expected: int, limit_s: float = 120) -> float:
        """The time when `expected` events were on the topic."""
        started = time.perf_counter()
        while self.count < expected:
            if time.perf_counter() - started > limit_s:
                raise RuntimeError(f"only {self.count} of {expected} events reached Kafka")
            await asyncio.sleep(0.01)
        return time.perf_counter()


def p(latencies: list[float], q: float) -> float:
    return statistics.quantiles(latencies, n=1000)[int(q * 1000) - 1] * 1000


def start(port: int, env: dict[str, str], data_dir: Path, profile: Path | None) -> ServiceProcess:
    """`iq-counselling serve`, under cProfile when asked (the profile is written at exit)."""
    if profile is None:
        return start_service("counselling", port, env, data_dir)
    # uvicorn re-raises SIGTERM after its shutdown; exiting through SystemExit lets cProfile write
    runner = ("import cProfile, signal, sys; from iq_counselling.cli import main; "
              "signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)); "
              f"cProfile.run('main([\"serve\", \"--port\", \"{port}\"])', {str(profile)!r})")
    log = open(data_dir / "counselling.log", "ab")  # noqa: SIM115 - owned by the child process
    process = subprocess.Popen(
        [sys.executable, "-c", runner],
        stdout=log, stderr=subprocess.STDOUT,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{data_dir}/counselling.db", "IQ_DATA_DIR": str(data_dir)} | env,
    )
    return ServiceProcess("counselling", port, process)


def prepare(url: str, recorder: str) -> None:
    """Sessions need an open contact point (where the service has the register)."""
    import urllib.request

    body = json.dumps({"region": REGION, "code": "bench-01", "type": "permanent",
                       "opened_on": "2020-01-01"}).encode()
    request = urllib.request.Request(f"{url}/v1/contact-points", data=body, headers={
        "Authorization": f"Bearer {recorder}", "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError as error:
        if error.code not in (404, 405, 409):
            raise RuntimeError(f"could not open the contact point: {error.code} {error.read()!r}") from None


async def measure(load, topic: Topic, service: psutil.Process, broker: psutil.Process, counter: list[int]) -> dict:
    """One phase: drive `load`, then wait until every record of it is on the topic."""
    before = counter[0]
    await topic.reached(before)  # the previous phase is entirely out
    processes = {"service": service, "broker": broker, "load generator": psutil.Process()}
    cpu = machine.CpuUsed(processes)
    started = time.perf_counter()
    latencies = await load
    http_done = time.perf_counter()
    records = counter[0] - before
    kafka_done = await topic.reached(before + records)
    return {
        "records": records,
        "http records/s": records / (http_done - started),
        "http->kafka records/s": records / (kafka_done - started),
        "p50 ms": p(latencies, 0.5), "p99 ms": p(latencies, 0.99),
        "load average": os.getloadavg()[0],  # other work on the machine during the phase
        # CPU per record: comparable across runs on a busy machine; the broker's and the load
        # generator's say what is left of the two cores for the service
        **{f"{name} cpu ms/record": seconds * 1000 / records
           for name, seconds in cpu.seconds().items()},
    }


async def run(args) -> dict:
    port = local_broker.free_port()
    broker = local_broker.start(port)
    bootstrap = f"{local_broker.HOST}:{port}"
    data_dir = Path(tempfile.mkdtemp(prefix="iq-bench-"))
    env = {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "IQ_AUTH_SECRET": SECRET, "IQ_LOG_LEVEL": "WARNING"}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    service = start(local_broker.free_port(), env, data_dir, args.profile)
    results: dict = {}
    try:
        wait_healthy(service)
        process = psutil.Process(service.process.pid)
        broker_process = psutil.Process(broker.pid)
        token = issue_token(SECRET, "bench", REGION, Role.RECORDER)
        prepare(service.url, token)
        connections = [Connection(service.port, token) for _ in range(args.connections)]
        await asyncio.gather(*(c.open() for c in connections))
        counter = [0]
        topic = Topic(bootstrap)
        await topic.start()
        await closed_loop(connections, 2, counter)  # warm-up
        results[f"closed loop, {args.connections} connections"] = await measure(
            closed_loop(connections, args.seconds, counter), topic, process, broker_process, counter)
        more = [Connection(service.port, token) for _ in range(max(0, args.open_connections - len(connections)))]
        await asyncio.gather(*(c.open() for c in more))
        connections += more
        results[f"open loop at {args.rate:.0f}/s, {len(connections)} connections"] = await measure(
            open_loop(connections, args.rate, args.seconds, counter), topic, process, broker_process, counter)
        await topic.stop()
        for connection in connections:
            connection.writer.close()
    finally:
        stop_all([service])
        local_broker.stop(broker)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--connections", type=int, default=16, help="of the closed loop")
    # An open loop must not wait for its own connections: 1,000/s at up to 50 ms each is 50
    # requests in flight (Little's law), more than 16 connections carry.
    parser.add_argument("--open-connections", type=int, default=64, help="of the open loop")
    parser.add_argument("--database-url", help="e.g. postgresql://…; default: a fresh SQLite file")
    parser.add_argument("--profile", type=Path, help="run the service under cProfile, write the stats here")
    args = parser.parse_args()
    speed = machine.describe()
    results = asyncio.run(run(args))
    print(f"\nrecording benchmark — {platform.python_version()}, {os.cpu_count()} cores, "
          f"counselling service on {'PostgreSQL' if args.database_url else 'SQLite'}, local Tansu broker, "
          f"{args.seconds:.0f} s per phase; {speed} at the start\n")
    print("| phase | records | HTTP records/s | HTTP->Kafka records/s | p50 ms | p99 ms | service CPU ms/record "
          "| broker CPU ms/record | load generator CPU ms/record | load average |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for phase, r in results.items():
        print(f"| {phase} | {r['records']} | {r['http records/s']:.0f} | {r['http->kafka records/s']:.0f} "
              f"| {r['p50 ms']:.1f} | {r['p99 ms']:.1f} | {r['service cpu ms/record']:.2f} "
              f"| {r['broker cpu ms/record']:.2f} | {r['load generator cpu ms/record']:.2f} "
              f"| {r['load average']:.1f} |")
    print(f"\n{machine.describe()} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
