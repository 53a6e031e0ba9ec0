"""The local broker alone: how long a consumer's fetch takes while a producer publishes at a
steady rate, second by second. A consumer that does nothing with what it reads shows what
the broker adds to publish -> visible, whatever the projection does.

    .venv/bin/python -m bench.broker_fetch [--rate 1500] [--seconds 30] [--linger 0]

The local broker (Tansu, memory storage) takes longer for every fetch the more batches the
partitions hold: with one batch per record (linger 0) the wait grows second by second; with
records batched (the platform's producers linger 5 ms) far more slowly (bench/README.md)."""

import argparse
import asyncio
import multiprocessing
import statistics
import struct
import time
from collections import defaultdict

import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench import machine
from iq_runtime import local_broker
from iq_runtime.broker import ensure_topics

TOPICS = [f"bench.fetch.{i}" for i in range(4)]  # as the platform's: four topics of three partitions
BODY = b"x" * 400


async def produce(bootstrap: str, rate: float, seconds: float, linger_ms: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=linger_ms)
    await producer.start()
    start, sent, i = time.perf_counter(), [], 0
    while i < rate * seconds:
        if (wait := start + i / rate - time.perf_counter()) > 0:
            await asyncio.sleep(min(wait, 0.01))
            continue
        sent.append(await producer.send(TOPICS[i % 4], struct.pack("d", time.time()) + BODY, key=b"%d" % (i % 997)))
        i += 1
    await asyncio.gather(*sent)
    await producer.stop()


async def consume(bootstrap: str, seconds: float, results) -> None:
    consumer = AIOKafkaConsumer(*TOPICS, bootstrap_servers=bootstrap, group_id="bench-fetch",
                                auto_offset_reset="latest", enable_auto_commit=False, fetch_max_wait_ms=50)
    await consumer.start()
    waits, ages = defaultdict(list), defaultdict(list)  # by second of the phase
    start = time.time()
    while (now := time.time()) < start + seconds:
        began = time.perf_counter()
        batches = await consumer.getmany(timeout_ms=200, max_records=5000)
        second, now = int(now - start), time.time()
        waits[second].append(time.perf_counter() - began)
        ages[second] += [now - struct.unpack("d", r.value[:8])[0] for batch in batches.values() for r in batch]
    await consumer.stop()
    results.put({s: (statistics.mean(waits[s]), max(ages[s], default=0)) for s in sorted(waits)})


def _run(coroutine, *args) -> None:
    asyncio.run(coroutine(*args))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=1500)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--linger", type=int, default=0, help="the producer's linger_ms")
    args = parser.parse_args()
    print(machine.describe())
    port = local_broker.free_port()
    broker = local_broker.start(port)
    bootstrap = f"{local_broker.HOST}:{port}"
    try:
        asyncio.run(ensure_topics(bootstrap, TOPICS, {}))
        results = multiprocessing.Queue()
        consumer = multiprocessing.Process(target=_run, args=(consume, bootstrap, args.seconds + 3, results))
        consumer.start()
        time.sleep(2)  # joined and at the end of the topics
        cores = machine.CoresUsed(broker=psutil.Process(broker.pid))
        producer = multiprocessing.Process(target=_run, args=(produce, bootstrap, args.rate, args.seconds, args.linger))
        producer.start()
        producer.join()
        used = cores.stop()
        by_second = results.get()
        consumer.join()
    finally:
        local_broker.stop(broker)
    print(f"{args.rate:,.0f} records/s for {args.seconds:.0f} s, linger {args.linger} ms; "
          f"{machine.CoresUsed.text(used)}\n")
    print("| second | mean fetch wait ms | oldest record read ms |\n|---|---|---|")
    for second, (wait, age) in by_second.items():
        if age == 0:  # before the first record or after the last
            continue
        print(f"| {second} | {wait * 1000:.0f} | {age * 1000:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
