"""`iq-platform`: the whole platform on one machine, for `make run` and end-to-end tests.
Starts the local broker (unless `KAFKA_BOOTSTRAP_SERVERS` is set), then each service as its
own process with its own SQLite database under the data directory, loads the demo year
(`iq_runtime.demo`; again on every start, which changes nothing) and prints where to look."""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import demo_run, local_broker
from .auth import Role, issue_token
from .context import BERLIN
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
    parser.add_argument("--port-offset", type=int, default=0, help="added to every service port")
    parser.add_argument("--broker-port", type=int,
                        default=int(os.environ.get("IQ_LOCAL_BROKER_PORT", LOCAL_BROKER_PORT)))
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo year")
    parser.add_argument("--demo-scale", type=float, default=1.0, help="1 = about 6,000 advice sessions")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env: dict[str, str] = {}
    broker = None
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        if not local_broker.is_listening(args.broker_port):
            broker = local_broker.start(args.broker_port, log_file=args.data_dir / "broker.log")
        env["KAFKA_BOOTSTRAP_SERVERS"] = f"{local_broker.HOST}:{args.broker_port}"
    names = [n for n in args.services.split(",") if n in SERVICES and installed(n)]
    ports = {n: SERVICES[n] + args.port_offset for n in names}
    signal.signal(signal.SIGTERM, _interrupt)  # stop the children on `kill` as on Ctrl-C
    services = [start_service(n, ports[n], env, args.data_dir) for n in names]
    try:
        for service in services:
            wait_healthy(service)
        year = None if args.no_demo else demo_run.load_demo_year({s.name: s.url for s in services}, args.demo_scale)
        _tell_the_user(services, env.get("KAFKA_BOOTSTRAP_SERVERS") or os.environ["KAFKA_BOOTSTRAP_SERVERS"], year)
        while not (crashed := [s.name for s in services if s.process.poll() is not None]):
            time.sleep(0.5)
        print(f"stopping: {', '.join(crashed)} exited; see {args.data_dir}/<service>.log", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all(services)
        if broker:
            local_broker.stop(broker)


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def _tell_the_user(services: list[ServiceProcess], bootstrap: str, year: int | None) -> None:
    url = {service.name: service.url for service in services}
    secret = os.environ.get("IQ_AUTH_SECRET", DEV_AUTH_SECRET)
    recorder = issue_token(secret, "demo-adviser", "DE-NW", Role.RECORDER)
    analyst = issue_token(secret, "demo-office", "national", Role.ANALYST)
    today = datetime.now(BERLIN).date()
    # a session takes place at a registered contact point, open on its day
    contact_point = json.dumps({"region": "DE-NW", "code": "koeln-01", "type": "permanent",
                                "opened_on": f"{today.year}-01-01"})
    session = json.dumps({
        "region": "DE-NW", "contact_point": "koeln-01", "occurred_on": today.isoformat(), "kind": "recognition",
        "mode": "in_person", "occupation": {"classification": "kldb2010", "code": "81302"},
        "qualification_country": "SY", "occupation_regulated": True, "person_id": "A-1",
    })
    print("\nIQ Platform is running (Ctrl-C stops everything)\n")
    print(f"  Kafka broker           {bootstrap}")
    for service in services:
        print(f"  {service.name:<22} {service.url}/docs")
    if "reporting" in url:
        period = year or today.year
        print(f"\n  Dashboard, the {period} sheet (exact figures; the analyst token is in the address):\n"
              f"    {url['reporting']}/v1/figures/page?period={period}&token={analyst}\n"
              f"  Public sheet (small counts suppressed):\n"
              f"    {url['reporting']}/v1/public/figures/page?period={period}")
    print(f"\n  recorder token (DE-NW):   {recorder}\n  analyst token (national): {analyst}\n")
    if "counselling" in url and "reporting" in url:
        print("  Open the contact point koeln-01 (once; again answers 409):\n"
              f"    curl -s -X POST {url['counselling']}/v1/contact-points -H 'Authorization: Bearer {recorder}'"
              f" -H 'Content-Type: application/json' -d '{contact_point}'\n")
        print("  Record an advice session there:\n"
              f"    curl -s -X POST {url['counselling']}/v1/advice-sessions -H 'Authorization: Bearer {recorder}'"
              f" -H 'Content-Type: application/json' -d '{session}'\n")
        print("  See the figure (counselling.initial_advice_sessions):\n"
              f"    curl -s '{url['reporting']}/v1/figures?period={today.year}' -H 'Authorization: Bearer {analyst}'\n")
    sys.stdout.flush()
