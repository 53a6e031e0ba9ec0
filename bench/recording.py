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

    .venv/bin/python -m bench.recording [--seconds 20] [--rate 1000] [--connections 16]
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition

from iq_contracts import topics
from iq_runtime import local_broker
from iq_runtime.auth import Role, issue_token
from iq_runtime.platform import start_service, stop_all, wait_healthy

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


async def published(bootstrap: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        partitions = [TopicPartition(topics.COUNSELLING, p)
                      for p in consumer.partitions_for_topic(topics.COUNSELLING) or []]
        if not partitions:
            await consumer.topics()
            partitions = [TopicPartition(topics.COUNSELLING, p)
                          for p in consumer.partitions_for_topic(topics.COUNSELLING) or []]
        ends = await consumer.end_offsets(partitions)
        return sum(ends.values())
    finally:
        await consumer.stop()


async def wait_published(bootstrap: str, expected: int, limit_s: float = 120) -> float:
    started = time.perf_counter()
    while (await published(bootstrap)) < expected:
        if time.perf_counter() - started > limit_s:
            raise RuntimeError(f"only {await published(bootstrap)} of {expected} events reached Kafka")
        await asyncio.sleep(0.05)
    return time.perf_counter()


def p(latencies: list[float], q: float) -> float:
    return statistics.quantiles(latencies, n=1000)[int(q * 1000) - 1] * 1000


def prepare(url: str, recorder: str) -> None:
    """Sessions need an open contact point (where the service has the register)."""
    import urllib.request

    body = json.dumps({"region": REGION, "contact_point": "bench-01", "contact_point_type": "permanent",
                       "opened_on": "2020-01-01"}).encode()
    request = urllib.request.Request(f"{url}/v1/contact-points", data=body, headers={
        "Authorization": f"Bearer {recorder}", "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError as error:
        if error.code not in (404, 405, 409):
            raise RuntimeError(f"could not open the contact point: {error.code} {error.read()!r}") from None


async def run(args) -> dict:
    port = local_broker.free_port()
    broker = local_broker.start(port)
    bootstrap = f"{local_broker.HOST}:{port}"
    data_dir = Path(tempfile.mkdtemp(prefix="iq-bench-"))
    env = {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "IQ_AUTH_SECRET": SECRET, "IQ_LOG_LEVEL": "WARNING"}
    service = start_service("counselling", local_broker.free_port(), env, data_dir)
    results: dict = {}
    try:
        wait_healthy(service)
        token = issue_token(SECRET, "bench", REGION, Role.RECORDER)
        prepare(service.url, token)
        connections = [Connection(service.port, token) for _ in range(args.connections)]
        await asyncio.gather(*(c.open() for c in connections))
        counter = [0]
        await closed_loop(connections, 2, counter)  # warm-up
        before = await published(bootstrap)
        first = counter[0]
        started = time.perf_counter()
        latencies = await closed_loop(connections, args.seconds, counter)
        http_done = time.perf_counter()
        kafka_done = await wait_published(bootstrap, before + counter[0] - first)
        records = counter[0] - first
        results["closed loop"] = {
            "connections": args.connections, "records": records,
            "http records/s": records / (http_done - started),
            "http->kafka records/s": records / (kafka_done - started),
            "p50 ms": p(latencies, 0.5), "p99 ms": p(latencies, 0.99),
        }
        await wait_published(bootstrap, before + records)
        before = await published(bootstrap)
        first = counter[0]
        started = time.perf_counter()
        latencies = await open_loop(connections, args.rate, args.seconds, counter)
        http_done = time.perf_counter()
        records = counter[0] - first
        kafka_done = await wait_published(bootstrap, before + records)
        results[f"open loop at {args.rate:.0f}/s"] = {
            "connections": args.connections, "records": records,
            "http records/s": records / (http_done - started),
            "http->kafka records/s": records / (kafka_done - started),
            "p50 ms": p(latencies, 0.5), "p99 ms": p(latencies, 0.99),
        }
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
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    results = asyncio.run(run(args))
    print(f"\nrecording benchmark — {platform.python_version()}, {os.cpu_count()} cores, "
          f"counselling service on SQLite, local Tansu broker\n")
    print("| phase | records | HTTP records/s | HTTP->Kafka records/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for phase, r in results.items():
        print(f"| {phase} | {r['records']} | {r['http records/s']:.0f} | {r['http->kafka records/s']:.0f} "
              f"| {r['p50 ms']:.1f} | {r['p99 ms']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
