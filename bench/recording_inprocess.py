"""Recording in-process: the real counselling app (SQLite, its relay publishing to a local
broker) driven through ASGI calls, no HTTP server or sockets. It prints the event loop
thread's CPU per recorded session, the number to compare between two versions of the code
run back to back (the HTTP bench, `bench.recording`, adds the server and the network, and
its numbers move with whatever else runs on the machine).

    .venv/bin/python -m bench.recording_inprocess [--records 8000] [--writers 16]

`--writers` concurrent callers (16: like the HTTP bench's closed loop; 1: every recording
commits alone)."""

import argparse
import asyncio
import json
import os
import tempfile
import time

from bench import machine
from iq_runtime import local_broker
from iq_runtime.auth import Role, issue_token

SECRET = "bench-secret-long-enough-for-hs256-signing"


def session(n: int) -> bytes:
    return json.dumps({
        "region": "DE-NW", "contact_point": "bench-01", "occurred_on": "2026-01-15", "kind": "recognition",
        "mode": "in_person", "occupation": {"classification": "kldb2010", "code": "81302"},
        "qualification_country": "SY", "occupation_regulated": True, "person_id": f"bench-{n}",
    }).encode()


async def post(app, path: str, body: bytes, token: bytes) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"bench"), (b"authorization", b"Bearer " + token),
                         (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}}
    status = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


async def run(records: int, writers: int) -> None:
    from iq_counselling.bootstrap import build_app  # after the environment is set

    app = build_app()
    token = issue_token(SECRET, "bench", "DE-NW", Role.RECORDER).encode()
    numbers = iter(range(10**9))

    async def writer(count: int) -> None:
        for _ in range(count):
            status = await post(app, "/v1/advice-sessions", session(next(numbers)), token)
            if status != 201:
                raise RuntimeError(f"recording answered {status}")

    async with app.router.lifespan_context(app):
        contact_point = json.dumps({"region": "DE-NW", "code": "bench-01", "type": "permanent",
                                    "opened_on": "2020-01-01"}).encode()
        await post(app, "/v1/contact-points", contact_point, token)
        await asyncio.gather(*(writer(100) for _ in range(writers)))  # warm-up
        cpu, started = time.thread_time(), time.perf_counter()
        await asyncio.gather(*(writer(records // writers) for _ in range(writers)))
        cpu, elapsed = time.thread_time() - cpu, time.perf_counter() - started
    done = records // writers * writers
    print(f"{done} records, {writers} writers: {cpu / done * 1000:.3f} ms CPU of the loop thread per record, "
          f"{done / elapsed:.0f} records/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=8000)
    parser.add_argument("--writers", type=int, default=16)
    args = parser.parse_args()
    port = local_broker.free_port()
    broker = local_broker.start(port)
    data = tempfile.mkdtemp(prefix="iq-bench-")
    os.environ.update({"KAFKA_BOOTSTRAP_SERVERS": f"{local_broker.HOST}:{port}", "IQ_AUTH_SECRET": SECRET,
                       "IQ_LOG_LEVEL": "WARNING", "DATABASE_URL": f"sqlite:///{data}/counselling.db",
                       "IQ_DATA_DIR": data})
    print(machine.describe())
    try:
        asyncio.run(run(args.records, args.writers))
    finally:
        local_broker.stop(broker)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
