"""Reporting: projection throughput, visibility latency, rebuild, figures API and memory,
all in one run against a raw consume-and-decode loop over the same topics (the ceiling).

    .venv/bin/python -m bench.reporting [--events 1000000] [--scale 10] [--database-url URL]

1. N events (bench/reporting_events.py: every area, 16 regions, ~120,000 persons) are
   published to the four topics of a fresh local broker.
2. ceiling: one aiokafka consumer reads them all and decodes each (headers + pydantic,
   `iq_runtime.delivery.decode`), nothing else; the verdicts use it. Printed beside it, the
   raw ceiling: the same read with only `json.loads` of each body.
3. naive: the same read, one INSERT and one COMMIT per event, for --naive-seconds.
4. sustained: `iq-reporting serve` on an empty database drains the N events (the real
   ProjectionConsumer + Projector, in its own process); events/s from the offsets it commits.
   Meanwhile `GET /v1/figures` once a second: how long a reader waits during a catch-up.
5. latency: while it idles, live events (recorded at their send time) are published at half the sustained rate;
   an event is visible when the ledger's offset (same transaction as the figures) passes it.
6. rebuild: `iq-reporting rebuild` (the CLI process) from zero, vs the ceiling's drain time.
7. figures: the projection is scaled to --scale x N events (k copies of the stream with
   distinct persons: counts and person counters times k, person rows k times; exact for that
   stream), `GET /v1/figures` p50/p99 over HTTP vs a GROUP BY over a table of all k x N events.
Peak RSS of the reporting process is sampled (psutil, every 0.1 s) in 4-6."""

import argparse
import asyncio
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.partitioner import DefaultPartitioner
from sqlalchemy import text

from bench import machine
from bench import reporting_db as db
from bench.reporting_events import Stream, check
from bench.reporting_events import record as as_record
from iq_contracts import topics
from iq_runtime import local_broker
from iq_runtime.auth import Role, issue_token
from iq_runtime.broker import PRODUCER_OPTIONS
from iq_runtime.context import BERLIN
from iq_runtime.delivery import decode
from iq_runtime.platform import start_service, stop_all, wait_healthy

SECRET = "bench-secret-long-enough-for-hs256-signing"
MB = 1024 * 1024


def quantile(values: list[float], q: float) -> float:
    # inclusive: a quantile of few values never lies beyond the largest one
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1] if len(values) > 1 else values[0]


async def publish(bootstrap: str, events, table: db.EventsTable | None) -> int:
    """Every event to its topic, and as a row into the GROUP BY baseline's table (if given)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks=1, linger_ms=20,
                                max_batch_size=512 * 1024, max_request_size=8 * MB)
    await producer.start()
    if table is not None:
        await table.create()
    pending, sent = [], 0
    try:
        for kind, event in events:
            if table is not None:
                await table.add(kind, event)
            record = as_record(kind, event)
            pending.append(await producer.send(record.topic, record.value, key=record.key, headers=record.headers))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                sent += len(pending)
                pending = []
        await asyncio.gather(*pending)
        return sent + len(pending)
    finally:
        await producer.stop()
        if table is not None:
            await table.close()


async def partitions_of(consumer: AIOKafkaConsumer) -> list[TopicPartition]:
    await consumer.topics()
    return [TopicPartition(topic, p) for topic in topics.ALL for p in sorted(consumer.partitions_for_topic(topic))]


async def read_all(bootstrap: str, expected: int, handle, limit_s: float | None = None) -> tuple[int, float]:
    """Read every topic from the beginning, `handle(records)` each batch; (events, seconds)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                max_partition_fetch_bytes=4 * MB, fetch_max_wait_ms=50)
    await consumer.start()
    try:
        consumer.assign(await partitions_of(consumer))
        await consumer.seek_to_beginning()
        done, started = 0, time.perf_counter()
        while done < expected and (limit_s is None or time.perf_counter() - started < limit_s):
            batches = await consumer.getmany(timeout_ms=200, max_records=5000)
            for batch in batches.values():
                await handle(batch)
                done += len(batch)
        return done, time.perf_counter() - started
    finally:
        await consumer.stop()


async def ceiling(bootstrap: str, expected: int) -> dict:
    async def decode_all(batch) -> None:
        for record in batch:
            decode(record)
    n, seconds = await read_all(bootstrap, expected, decode_all)
    return {"events": n, "seconds": seconds, "rate": n / seconds}


async def raw_ceiling(bootstrap: str, expected: int) -> dict:
    """The issue's own ceiling: the body parsed as JSON and nothing else. No consumer of the
    contracts stops there (the envelope and the event are read and checked), so the verdicts
    use `ceiling`; this one is printed beside it so that the two can be told apart."""
    async def parse_all(batch) -> None:
        for record in batch:
            json.loads(record.value)
    n, seconds = await read_all(bootstrap, expected, parse_all)
    return {"events": n, "seconds": seconds, "rate": n / seconds}


async def naive(bootstrap: str, url: str, seconds: float) -> dict:
    engine, sessions = await db.naive_table(url)

    async def one_by_one(batch) -> None:
        for record in batch:
            event = decode(record).event
            async with sessions.begin() as session:
                await session.execute(text(db.NAIVE_INSERT), db.naive_row(event, engine))
    n, took = await read_all(bootstrap, 10**12, one_by_one, limit_s=seconds)
    await engine.dispose()
    return {"events": n, "seconds": took, "rate": n / took}


class PeakRss:
    def __init__(self, pid: int) -> None:
        self.process, self.peak = psutil.Process(pid), 0
        self.task = asyncio.create_task(self._sample())

    async def _sample(self) -> None:
        while True:
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.NoSuchProcess:
                return
            await asyncio.sleep(0.1)

    def stop(self) -> float:
        self.task.cancel()
        return self.peak / MB


async def sustained(offsets: db.Offsets, expected: int, probe: "FiguresProbe") -> dict:
    """From the first committed batch to the last event: the serve process's drain rate."""
    first = None
    while (done := await offsets.total()) < expected:
        if done and first is None:
            first = (time.perf_counter(), done)
        await asyncio.sleep(0.02)
    end = time.perf_counter()
    return {"events": expected - first[1], "seconds": end - first[0], "rate": (expected - first[1]) / (end - first[0]),
            "figures": probe.stop()}


class FiguresProbe:
    """A person reading the sheet while the service catches up: `GET /v1/figures` for one
    year, a second after each answer (more often, the requests' own CPU would lower the
    drain rate measured meanwhile). The sheet changes with every window, so most requests
    are cold; a window that holds the service's event loop shows as the slowest ones."""

    PAUSE = 1.0

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token, self.times = url, token, []
        self.task = asyncio.create_task(self._ask())

    async def _ask(self) -> None:
        import httpx

        async with httpx.AsyncClient(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"},
                                     timeout=60) as client:
            while True:
                started = time.perf_counter()
                (await client.get("/v1/figures", params={"period": "2020"})).raise_for_status()
                self.times.append(time.perf_counter() - started)
                await asyncio.sleep(self.PAUSE)

    def stop(self) -> dict:
        if self.task.done() and self.task.exception():
            raise RuntimeError("the figures probe failed") from self.task.exception()
        self.task.cancel()
        t = self.times
        return {"requests": len(t), "p50": quantile(t, 0.5) * 1000, "p99": quantile(t, 0.99) * 1000,
                "max": max(t) * 1000} if t else {"requests": 0}


async def latency(bootstrap: str, offsets: db.Offsets, rate: float, seconds: float, stream: Stream,
                  processes: dict[str, psutil.Process]) -> dict:
    """Publish on a fixed schedule (ticks of 10 ms); an event is visible when its partition's
    committed offset passes it, watched every 5 ms WHILE publishing (an earlier version began
    watching only after the last send, which made every latency "time left in the phase":
    p50 = half, p99 = all of --latency-seconds). Latency counts from the scheduled send time.

    The records are made before the phase, each recorded at the moment it is scheduled to be
    sent, and their partitions chosen beforehand as aiokafka's default partitioner chooses
    them: made while sending, they kept a third of a core busy at 4,000/s (cProfile), on the
    two cores that the broker and the service share with this process (bench/README.md)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, **PRODUCER_OPTIONS)  # as the services publish
    await producer.start()
    n = math.ceil(rate * seconds)
    lead = 1.0 + n * 100e-6  # to make them: ~30 us each, with room for a slower machine
    start, start_wall = time.perf_counter() + lead, time.time() + lead
    records, partitions = await _made_ahead(producer, stream, n, lambda i: start_wall + i / rate)
    if time.perf_counter() > start:
        raise RuntimeError(f"making {n} records took longer than {lead:.1f} s; the schedule began without them")
    waiting: dict[tuple[str, int], deque] = defaultdict(deque)  # (offset, due) in offset order
    latencies: list[float] = []

    def placed(due: float, future: asyncio.Future) -> None:
        if not future.exception():
            m = future.result()
            waiting[(m.topic, m.partition)].append((m.offset, due))

    async def watch() -> None:
        while True:
            now, committed = time.perf_counter(), await offsets.by_partition()
            for tp, pending in waiting.items():
                while pending and pending[0][0] < committed.get(tp, 0):
                    latencies.append(now - pending.popleft()[1])
            await asyncio.sleep(0.005)

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(max(0.0, start - time.perf_counter()))  # CPU is counted from the first send on
    cores = machine.CpuUsed(processes)
    tick, index, sent = 0.01, 0, []
    while index < n:
        due = start + index / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(min(wait, tick))
            continue
        record = records[index]
        future = await producer.send(record.topic, record.value, key=record.key, headers=record.headers,
                                     partition=partitions[index])
        future.add_done_callback(partial(placed, due))
        sent.append(future)
        index += 1
    await asyncio.gather(*sent)
    used = cores.cores()
    await producer.stop()
    deadline = time.perf_counter() + 60
    while any(waiting.values()) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    watcher.cancel()
    return {"events": len(sent), "visible": len(latencies), "rate": rate, "cores": used,
            "p50": quantile(latencies, 0.5) * 1000, "p99": quantile(latencies, 0.99) * 1000}


async def _made_ahead(producer: AIOKafkaProducer, stream: Stream, n: int, scheduled) -> tuple[list, list[int]]:
    """n live records, the i-th recorded at `scheduled(i)` (epoch seconds), and the partition
    of each, as the producer's default partitioner would pick it."""
    moment = [datetime.now(UTC)]  # the stream's clock: set to each record's time before it is made
    made = stream.records(n, recorded_now=True, clock=lambda: moment[0])
    records = []
    for i in range(n):
        moment[0] = datetime.fromtimestamp(scheduled(i), UTC)
        records.append(next(made))
    choose = DefaultPartitioner()
    counts = {topic: sorted(await producer.partitions_for(topic)) for topic in {r.topic for r in records}}
    return records, [choose(r.key, counts[r.topic], counts[r.topic]) for r in records]


def rebuild(env: dict, data_dir: Path) -> dict:
    """`iq-reporting rebuild`, the CLI process, to its end (its output in data_dir/rebuild.log):
    seconds and peak RSS (MB, sampled every 50 ms). A failure raises, naming the log."""
    import subprocess

    log, started, peak = data_dir / "rebuild.log", time.perf_counter(), 0
    with open(log, "ab") as output:
        process = subprocess.Popen([str(Path(sys.executable).parent / "iq-reporting"), "rebuild"],
                                   env=os.environ | env, stdout=subprocess.DEVNULL, stderr=output)
        while process.poll() is None:
            try:
                peak = max(peak, psutil.Process(process.pid).memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.05)
    if process.returncode:
        raise RuntimeError(f"rebuild failed ({process.returncode}); see {log}")
    return {"seconds": time.perf_counter() - started, "rss": peak / MB}


FIGURES_QUERIES = [{"period": "2020"}, {"period": "2020", "region": "DE-NW"}, {"period": "2020-Q2"},
                   {"period": "2021-05", "as_of": "2021-06-30"}, {"period": "2019", "as_of": "2019-12-31"},
                   {"from": "2020-02-10", "to": "2020-11-20"}]


async def figures_api(url: str, token: str, rounds: int) -> dict:
    """Cold: every request a sheet not served before (the service caches sheets until a batch
    changes them), i.e. the query with a reference date not asked before: round i asks as of
    i days before the query's own reference date (today if it has none); --rounds // 5 rounds.
    Warm: the queries as given, after one warm-up request each (served from the cache)."""
    import httpx

    today = datetime.now(BERLIN).date()
    cold: dict[str, list[float]] = {}
    warm: dict[str, list[float]] = {}

    async def timed(client, query: dict, times: dict, params: dict) -> None:
        started = time.perf_counter()
        response = await client.get("/v1/figures", params=params)
        times.setdefault("&".join(f"{k}={v}" for k, v in query.items()), []).append(time.perf_counter() - started)
        response.raise_for_status()

    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=600) as client:
        # the client's own first request takes ~50 ms (its connection and lazy setup; curl's
        # first /health takes 1.4 ms): paid here, not by the first sheet measured
        (await client.get("/health")).raise_for_status()
        for i in range(max(rounds // 5, 2)):
            for query in FIGURES_QUERIES:
                as_of = date.fromisoformat(query.get("as_of", today.isoformat())) - timedelta(days=i)
                await timed(client, query, cold, query | {"as_of": as_of.isoformat()})
        for query in FIGURES_QUERIES:  # warm-up
            (await client.get("/v1/figures", params=query)).raise_for_status()
        for _ in range(rounds):
            for query in FIGURES_QUERIES:
                await timed(client, query, warm, query)

    def summary(times: dict[str, list[float]]) -> dict:
        named = [t for q, ts in times.items() if not q.startswith("from") for t in ts]
        return {"p50": quantile(named, 0.5) * 1000, "p99": quantile(named, 0.99) * 1000}
    return summary(warm) | {"cold": summary(cold), "by_query": {
        q: [quantile(ts, x) * 1000 for ts in (cold[q], warm[q]) for x in (0.5, 0.99)] for q in warm}}


def figures_rows(r: dict) -> list[tuple]:
    """The figures rows of the results table: warm and cold latency, each against GROUP BY."""
    f, group_by = r["figures"], r["group_by"]["seconds"] * 1000
    rows = []
    for name, latency in (("warm: sheet cached", f), ("cold: first request for the sheet", f["cold"])):
        rows += [(f"GET /v1/figures at {r['scaled']['events']:,} events, {name}",
                  f"p50 {latency['p50']:.1f} ms, p99 {latency['p99']:.1f} ms", "", "p99 <= 10 ms",
                  latency["p99"] <= 10),
                 ("GROUP BY over all events", f"{group_by:,.0f} ms", f"{group_by / latency['p99']:.0f} x the p99",
                  ">= 100 x", group_by >= 100 * latency["p99"])]
    return rows


def figures_table(r: dict) -> list[str]:
    lines = ["", "| figures query | cold p50 ms | cold p99 ms | warm p50 ms | warm p99 ms |", "|---|---|---|---|---|"]
    for query, times in r["figures"]["by_query"].items():
        lines.append(f"| {query} | " + " | ".join(f"{t:,.1f}" for t in times) + " |")
    return lines


async def run(args) -> dict:
    port = local_broker.free_port()
    broker = local_broker.start(port)
    bootstrap = f"{local_broker.HOST}:{port}"
    data_dir = Path(tempfile.mkdtemp(prefix="iq-bench-reporting-"))
    url = db.fresh(args.database_url, data_dir)
    env = {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "IQ_AUTH_SECRET": SECRET, "IQ_LOG_LEVEL": "WARNING",
           "DATABASE_URL": url, "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_HEARTBEAT_INTERVAL_MS": "1000"}
    r: dict = {"events": args.events, "data_dir": str(data_dir)}
    services = []
    try:
        stream = Stream()
        sample = list(Stream().records(2000))
        check(sample)
        r["body_bytes"] = statistics.mean(len(x.value) for x in sample)
        started = time.perf_counter()
        await publish(bootstrap, stream.events(args.events), db.EventsTable(url))
        r["publish"] = {"seconds": time.perf_counter() - started}
        print(f"published {args.events} events in {r['publish']['seconds']:.1f} s", file=sys.stderr)
        r["ceiling"] = await ceiling(bootstrap, args.events)
        print(f"ceiling {r['ceiling']['rate']:.0f} events/s", file=sys.stderr)
        r["raw_ceiling"] = await raw_ceiling(bootstrap, args.events)
        print(f"raw ceiling {r['raw_ceiling']['rate']:.0f} events/s", file=sys.stderr)
        r["naive"] = await naive(bootstrap, url, args.naive_seconds)
        print(f"naive {r['naive']['rate']:.0f} events/s", file=sys.stderr)

        service = start_service("reporting", local_broker.free_port(), env, data_dir)
        services.append(service)
        wait_healthy(service)
        rss = PeakRss(service.process.pid)
        offsets = await db.Offsets.open(url)
        token = issue_token(SECRET, "bench", "national", Role.ANALYST)
        processes = {"serve": psutil.Process(service.process.pid), "broker": psutil.Process(broker.pid),
                     "bench": psutil.Process()}
        cores = machine.CpuUsed(processes)
        r["sustained"] = await sustained(offsets, args.events, FiguresProbe(service.url, token))
        r["sustained"]["cores"] = cores.cores()
        r["drain_rss"], rss = rss.stop(), PeakRss(service.process.pid)
        print(f"sustained {r['sustained']['rate']:.0f} events/s", file=sys.stderr)
        r["latency"] = await latency(bootstrap, offsets, args.latency_rate or r["sustained"]["rate"] / 2,
                                     args.latency_seconds, stream,
                                     processes)
        r["live_rss"] = rss.stop()
        r["serve_rss"] = max(r["drain_rss"], r["live_rss"])
        await offsets.close()
        stop_all(services)
        services.clear()
        total = args.events + r["latency"]["events"]

        r["rebuild"] = rebuild(env, data_dir) | {"events": total}
        print(f"rebuild {r['rebuild']['seconds']:.1f} s", file=sys.stderr)
        r["ceiling_drain"] = total / r["ceiling"]["rate"]

        r["scaled"] = await db.scale(url, args.scale)
        r["group_by"] = await db.group_by_baseline(url)
        service = start_service("reporting", local_broker.free_port(), env, data_dir)
        services.append(service)
        wait_healthy(service)
        rss = PeakRss(service.process.pid)
        r["figures"] = await figures_api(service.url, token, args.rounds)
        r["figures_rss"] = rss.stop()
    finally:
        stop_all(services)
        local_broker.stop(broker)
    return r


def table(r: dict, args) -> str:
    c, s, n, raw = r["ceiling"], r["sustained"], r["naive"], r["raw_ceiling"]
    rss = max(r["serve_rss"], r["rebuild"]["rss"], r["figures_rss"])
    rows = [
        ("ceiling: raw consume + decode", f"{c['rate']:,.0f} events/s ({c['events']:,} in {c['seconds']:.1f} s)",
         "", "", ""),
        ("raw ceiling: consume + JSON only", f"{raw['rate']:,.0f} events/s ({raw['events']:,} in "
         f"{raw['seconds']:.1f} s)", f"sustained {s['rate'] / raw['rate']:.2f} x", "", ""),
        ("naive: insert + commit per event", f"{n['rate']:,.0f} events/s", "", "", ""),
        ("sustained projection (serve)", f"{s['rate']:,.0f} events/s", f"{s['rate'] / c['rate']:.2f} x ceiling",
         ">= 0.4 x", s["rate"] >= 0.4 * c["rate"]),
        ("", "", f"{s['rate'] / n['rate']:.1f} x naive", ">= 20 x", s["rate"] >= 20 * n["rate"]),
        ("CPU while serve drains", machine.CpuUsed.text(s["cores"]), "", "", ""),
        (f"GET /v1/figures while serve drains ({s['figures']['requests']} requests)",
         f"p50 {s['figures']['p50']:.0f} ms, p99 {s['figures']['p99']:.0f} ms, max {s['figures']['max']:.0f} ms",
         "", "", ""),
        (f"publish -> visible at {r['latency']['rate']:,.0f}/s",
         f"p50 {r['latency']['p50']:.0f} ms, p99 {r['latency']['p99']:.0f} ms", "",
         "" if args.latency_rate else "p99 <= 250 ms", r["latency"]["p99"] <= 250),  # the goal's rate only
        ("CPU meanwhile (publishing, watching)", machine.CpuUsed.text(r["latency"]["cores"]), "", "", ""),
        (f"rebuild of {r['rebuild']['events']:,} events", f"{r['rebuild']['seconds']:.1f} s",
         f"{r['rebuild']['seconds'] / r['ceiling_drain']:.2f} x ceiling drain ({r['ceiling_drain']:.1f} s)",
         "<= 2 x", r["rebuild"]["seconds"] <= 2 * r["ceiling_drain"]),
        *figures_rows(r),
        ("peak RSS of the reporting process",
         f"{rss:.0f} MB (serve: draining {r['drain_rss']:.0f}, live {r['live_rss']:.0f}; rebuild "
         f"{r['rebuild']['rss']:.0f}, figures {r['figures_rss']:.0f})", "", "<= 256 MB", rss <= 256),
    ]
    lines = ["| measure | result | ratio | goal | met |", "|---|---|---|---|---|"]
    for name, value, ratio, goal, met in rows:
        verdict = "" if goal == "" else ("met" if met else "**missed**")
        lines.append(f"| {name} | {value} | {ratio} | {goal} | {verdict} |")
    lines += figures_table(r)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--scale", type=int, default=10, help="figures at scale x events (default 10)")
    parser.add_argument("--naive-seconds", type=float, default=10)
    parser.add_argument("--latency-seconds", type=float, default=10)
    parser.add_argument("--latency-rate", type=float, help="live events/s (default: half the sustained rate, "
                                                           "as the goal says)")
    parser.add_argument("--rounds", type=int, default=50, help="rounds of the figures queries")
    parser.add_argument("--database-url", help="postgresql://.../iq_bench_reporting (dropped and created); "
                                               "default: a fresh SQLite file")
    parser.add_argument("--figures-only", action="store_true",
                        help="only the figures phase, the events projected in-process (bench/reporting_figures.py)")
    args = parser.parse_args()
    speed = machine.describe()
    if args.figures_only:
        from bench import reporting_figures

        r = asyncio.run(reporting_figures.run(args))
        print(f"\nreporting benchmark, figures only: Python {platform.python_version()}, {os.cpu_count()} cores, "
              f"{'PostgreSQL' if args.database_url else 'SQLite'}, {args.events:,} events x{args.scale}; "
              f"{speed} at the start\n")
        print(reporting_figures.table(r))
        print(f"\n{machine.describe()} at the end")
        return 0
    r = asyncio.run(run(args))
    print(f"\nreporting benchmark: Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}, local Tansu broker, {args.events:,} events "
          f"(body ~{r['body_bytes']:.0f} bytes), figures at x{args.scale}; {speed} at the start\n")
    print(table(r, args))
    print(f"\n{machine.describe()} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
