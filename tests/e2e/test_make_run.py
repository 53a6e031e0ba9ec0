"""What a new user does after `make run`: open the printed dashboard address on the demo
year, run the printed curls to open a contact point and record a session there, then the
printed curl for the figures, and see the count go up. Runs `iq-platform` itself (with a
small demo year)."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from iq_runtime.context import BERLIN
from iq_runtime.local_broker import free_port, is_listening
from iq_runtime.platform import SERVICES
from tests.kafka_helpers import FAST_GROUP_ENV

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]


def printed_commands(process: subprocess.Popen, timeout: float = 90) -> tuple[list[str], list[str]]:
    """The printed curls, and the printed addresses (the dashboard and the public sheet)."""
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "See the figure" in line:
            lines.append(process.stdout.readline())
            curls = [match[1] for match in (re.match(r"\s+(curl .*)$", item) for item in lines) if match]
            return curls, [match[1] for match in (re.match(r"\s+(http://\S+/figures/page\S*)$", item)
                                                  for item in lines) if match]
    raise AssertionError("iq-platform never printed its instructions:\n" + "".join(lines))


def initial_sessions(figures_command: str) -> int:
    output = subprocess.run(figures_command, shell=True, capture_output=True, text=True, check=True).stdout
    return json.loads(output)["counselling"]["initial_advice_sessions"]


def test_the_printed_curl_records_a_session_that_the_printed_figures_show(tmp_path):
    # as on a fresh machine: no Kafka configured, so the launcher starts the local broker
    env = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
    env |= FAST_GROUP_ENV | {"IQ_LOCAL_BROKER_PORT": str(free_port())}
    launcher = Path(sys.executable).parent / "iq-platform"
    offset = free_port() - SERVICES["counselling"]  # free ports, not the defaults a user may have taken
    process = subprocess.Popen(
        [str(launcher), "--data-dir", str(tmp_path), "--services", "counselling,reporting",
         "--port-offset", str(offset), "--demo-scale", "0.02"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        (open_contact_point, record, figures), pages = printed_commands(process)
        year = datetime.now(BERLIN).year - 1
        assert len(pages) == 2 and all(f"period={year}" in page for page in pages), pages
        for page in pages:  # the dashboard (analyst token in the address) and the public sheet
            with urllib.request.urlopen(page, timeout=120) as response:  # no timing goal here
                assert response.status == 200 and "<html" in response.read().decode().lower()
        before = initial_sessions(figures)
        opened = subprocess.run(open_contact_point, shell=True, capture_output=True, text=True, check=True).stdout
        assert "koeln-01" in opened, opened
        recorded = subprocess.run(record, shell=True, capture_output=True, text=True, check=True).stdout
        assert "session_id" in recorded, recorded
        deadline = time.monotonic() + 30
        while initial_sessions(figures) != before + 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert initial_sessions(figures) == before + 1
    finally:
        process.terminate()
        process.wait(30)
    # stopping the launcher stops what it started: no service or broker is left behind
    assert process.returncode == 0
    ports = [SERVICES[name] + offset for name in ("counselling", "reporting")] + [int(env["IQ_LOCAL_BROKER_PORT"])]
    assert not [port for port in ports if is_listening(port)]
    assert (tmp_path / "broker.log").exists(), "the launcher did not start its own broker"

