"""`iq-platform`: the whole platform on one machine, for `make run` and end-to-end tests.
Starts the local broker (unless `KAFKA_BOOTSTRAP_SERVERS` is set), then each service as its
own process with its own SQLite database under the data directory."""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import local_broker
from .auth import Role, issue_token
from .settings import DEV_AUTH_SECRET, LOCAL_BROKER_PORT

# service -> default port; only services that are installed are started
SERVICES = {"counselling": 8001, "training": 8002, "stakeholders": 8003, "fair-integration": 8004, "reporting": 8005}


@dataclass
class ServiceProcess:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_service(name: str, port: int, env: dict[str, str], data_dir: Path) -> ServiceProcess:
    data_dir.mkdir(parents=True, exist_ok=True)
    command = shutil.which(f"iq-{name}") or str(Path(sys.executable).parent / f"iq-{name}")
    log = open(data_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child process
    process = subprocess.Popen(
        [command, "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{data_dir / name}.db", "IQ_DATA_DIR": str(data_dir)} | env,
    )
    return ServiceProcess(name, port, process)


def wait_healthy(service: ServiceProcess, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited with code {service.process.returncode}; see its log")
        try:
            with urllib.request.urlopen(f"{service.url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{service.name} did not become healthy within {timeout:.0f}s")


def stop_all(services: list[ServiceProcess]) -> None:
    for service in services:
        if service.process.poll() is None:
            service.process.send_signal(signal.SIGTERM)
    for service in services:
        try:
            service.process.wait(10)
        except subprocess.TimeoutExpired:
            service.process.kill()


def installed(name: str) -> bool:
    return bool(shutil.which(f"iq-{name}") or (Path(sys.executable).parent / f"iq-{name}").exists())


def main() -> int:
    parser = argparse.ArgumentParser(prog="iq-platform", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var"))
    parser.add_argument("--services", default=",".join(SERVICES), help="comma-separated, e.g. counselling,reporting")
    args = parser.parse_args()
    env: dict[str, str] = {}
    broker = None
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        if not local_broker.is_listening(LOCAL_BROKER_PORT):
            broker = local_broker.start(LOCAL_BROKER_PORT, log_file=args.data_dir / "broker.log")
        env["KAFKA_BOOTSTRAP_SERVERS"] = f"{local_broker.HOST}:{LOCAL_BROKER_PORT}"
    names = [n for n in args.services.split(",") if n in SERVICES and installed(n)]
    services = [start_service(n, SERVICES[n], env, args.data_dir) for n in names]
    try:
        for service in services:
            wait_healthy(service)
        _tell_the_user(services, env.get("KAFKA_BOOTSTRAP_SERVERS") or os.environ["KAFKA_BOOTSTRAP_SERVERS"])
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        stop_all(services)
        if broker:
            local_broker.stop(broker)
    return 0


def _tell_the_user(services: list[ServiceProcess], bootstrap: str) -> None:
    secret = os.environ.get("IQ_AUTH_SECRET", DEV_AUTH_SECRET)
    recorder = issue_token(secret, "demo-adviser", "DE-NW", Role.RECORDER)
    analyst = issue_token(secret, "demo-office", "national", Role.ANALYST)
    print("\nIQ Platform is running (Ctrl-C stops everything)\n", flush=True)
    print(f"  Kafka broker           {bootstrap}")
    for service in services:
        print(f"  {service.name:<22} {service.url}/docs")
    print(f"\n  recorder token (DE-NW):   {recorder}\n  analyst token (national): {analyst}\n")
    print("  Record an advice session:\n"
          f"    curl -X POST http://127.0.0.1:{SERVICES['counselling']}/v1/advice-sessions \\\n"
          f"      -H 'Authorization: Bearer {recorder}' -H 'Content-Type: application/json' \\\n"
          "      -d '{\"region\":\"DE-NW\",\"contact_point\":\"koeln-01\",\"occurred_on\":\"2026-01-15\","
          "\"kind\":\"recognition\",\"mode\":\"in_person\",\"occupation\":{\"classification\":\"kldb2010\","
          "\"code\":\"81302\"},\"qualification_country\":\"SY\",\"occupation_regulated\":true,\"person_id\":\"A-1\"}'\n")
    print("  See the figure:\n"
          f"    curl 'http://127.0.0.1:{SERVICES['reporting']}/v1/figures?period=2026' \\\n"
          f"      -H 'Authorization: Bearer {analyst}'\n", flush=True)
