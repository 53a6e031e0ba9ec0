"""The demo year in `iq-platform`: generate, load, and wait until the figures show it."""

import os
import sys
import time

import httpx

from .auth import Role, issue_token
from .demo import generate
from .demo_figures import differences, expected
from .demo_load import DemoLoadFailed, load
from .settings import DEV_AUTH_SECRET

FIGURES_TIMEOUT = 120.0  # seconds for the reporting service to catch up with a whole year
SETTLED = 15.0  # seconds a sheet that differs may stay unchanged before we stop waiting for it


def load_demo_year(urls: dict[str, str], scale: float) -> int | None:
    """Loads the demo year into the recording services among `urls` and waits for the
    figures; answers the year, or None when there was nothing to load it into."""
    recording = [name for name in urls if name != "reporting"]
    if not recording:
        return None
    secret = os.environ.get("IQ_AUTH_SECRET", DEV_AUTH_SECRET)
    admin = issue_token(secret, "demo-loader", "national", Role.ADMIN)
    demo = generate(scale=scale)
    print(f"Loading the demo year {demo.year} (scale {scale:g}; loading again adds nothing):", flush=True)
    started = time.monotonic()
    try:
        load(demo, urls, admin, say=lambda line: print(line, flush=True))
    except (DemoLoadFailed, httpx.HTTPError) as exc:
        print(f"  the demo year could not be loaded: {exc}", file=sys.stderr)
        return demo.year
    if "reporting" in urls:
        wait_for_figures(urls["reporting"], admin, demo.year, expected(demo), recording)
    print(f"  done in {time.monotonic() - started:.0f}s", flush=True)
    return demo.year


def wait_for_figures(reporting: str, token: str, year: int, wanted: dict, services: list[str],
                     timeout: float = FIGURES_TIMEOUT) -> list[str]:
    """Polls the sheet until it shows `wanted`; answers the differences left when it timed
    out or the sheet stopped changing (a reporting service that counts differently)."""
    deadline = time.monotonic() + timeout
    left, last, changed = ["not asked yet"], None, time.monotonic()
    with httpx.Client(base_url=reporting, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        while left and time.monotonic() < deadline:
            response = client.get("/v1/figures", params={"period": str(year)})
            sheet = response.json() if response.status_code == 200 else None
            left = differences(wanted, sheet, services) if sheet else [f"GET /v1/figures: {response.status_code}"]
            if sheet != last:
                last, changed = sheet, time.monotonic()
            elif time.monotonic() - changed > SETTLED:
                break
            if left:
                time.sleep(0.5)
    if left:
        print(f"  the figures do not show the demo year yet ({len(left)} differ, e.g. {left[0]})", file=sys.stderr)
    return left
