"""The local broker alone: how long a consumer's fetch takes while a producer publishes at a
steady rate, second by second. A consumer that does nothing with what it reads shows what
the broker adds to publish -> visible, whatever the projection does.

    .venv/bin/python -m bench.broker_fetch [--rate 1500] [--seconds 30] [--linger 5]

The local broker (Tansu, memory storage) takes longer for every fetch the more batches the
partitions hold: with the producer not lingering (linger 0: small batches) the wait grows
second by second; with the platform's 5 ms far more slowly (bench/README.md)."""

import argparse
import asyncio
import multiprocessing
import statistics
import struct
import time
from collections import defaultdict

import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench import machine
from iq_runtime import local_broker
from iq_runtime.broker import PRODUCER_OPTIONS, ensure_topics

TOPICS = [f"bench.fetch.{i}" for i in range(4)]  # as the platform's: four topics of three partitions
BODY = b"x" * 400


async def produce(bootstrap: str, rate: float, seconds: float, linger_ms: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, **(PRODUCER_OPTIONS | {"linger_ms": linger_ms}))
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


async def consume(bootstrap: str, seconds: float, ready, results) -> None:
    """Read from the end of every partition for `seconds` after the first record: per second
    of the run (counted from the first record read), the mean fetch wait and the oldest
    record read."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50)
    await consumer.start()
    await consumer.topics()  # the metadata: which partitions exist
    partitions = [TopicPartition(topic, p) for topic in TOPICS for p in sorted(consumer.partitions_for_topic(topic))]
    consumer.assign(partitions)
    await consumer.seek_to_end(*partitions)
    ready.put(True)
    waits, ages = defaultdict(list), defaultdict(list)
    first = None
    while first is None or time.time() < first + seconds:
        began = time.perf_counter()
        batches = await consumer.getmany(timeout_ms=200, max_records=5000)
        waited, now = time.perf_counter() - began, time.time()
        sent = [struct.unpack("d", r.value[:8])[0] for batch in batches.values() for r in batch]
        if not sent:
            continue
        first = first or now
        second = int(now - first)
        waits[second].append(waited)
        ages[second].append(now - min(sent))
    await consumer.stop()
    results.put({s: (statistics.mean(waits[s]), max(ages[s])) for s in sorted(waits)})


def _run(coroutine, *args) -> None:
    asyncio.run(coroutine(*args))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=1500)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--linger", type=int, default=PRODUCER_OPTIONS["linger_ms"], help="the producer's linger_ms")
    args = parser.parse_args()
    print(machine.describe())
    port = local_broker.free_port()
    broker = local_broker.start(port)
    bootstrap = f"{local_broker.HOST}:{port}"
    try:
        asyncio.run(ensure_topics(bootstrap, TOPICS, {}))
        ready, results = multiprocessing.Queue(), multiprocessing.Queue()
        consumer = multiprocessing.Process(target=_run, args=(consume, bootstrap, args.seconds, ready, results))
        consumer.start()
        ready.get(timeout=60)  # at the end of every partition
        cores = machine.CpuUsed({"broker": psutil.Process(broker.pid)})
        producer = multiprocessing.Process(target=_run, args=(produce, bootstrap, args.rate, args.seconds, args.linger))
        producer.start()
        producer.join()
        used = cores.cores()
        by_second = results.get(timeout=args.seconds + 60)
        consumer.join()
        if producer.exitcode or consumer.exitcode:
            raise RuntimeError(f"producer exited with {producer.exitcode}, consumer with {consumer.exitcode}")
    finally:
        local_broker.stop(broker)
    print(f"{args.rate:,.0f} records/s for {args.seconds:.0f} s, linger {args.linger} ms; "
          f"{machine.CpuUsed.text(used)}\n")
    print("| second | mean fetch wait ms | oldest record read ms |\n|---|---|---|")
    for second, (wait, age) in by_second.items():
        print(f"| {second} | {wait * 1000:.0f} | {age * 1000:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
