"""The figures page in a real headless Chromium (Debian's), served by the reporting app with
the real broker and a SQLite database: events on Kafka -> projection -> page -> rendered SVG."""

import asyncio
import os
import threading
import time
from datetime import UTC, date, datetime

import httpx
import pytest
import uvicorn

from conftest import unavailable
from iq_reporting.bootstrap import Settings, build_app
from iq_runtime import local_broker
from iq_runtime.auth import Role, issue_token
from tests.factories import advice_given
from tests.kafka_helpers import fast_group, produce

pytestmark = pytest.mark.kafka

CHROMIUM = "/usr/bin/chromium"
SECRET = "reporting-browser-test-secret-long-enough"
SHEET = "period=2019&as_of=2020-02-20"


@pytest.fixture
def reporting(kafka, tmp_path, monkeypatch):
    """The reporting app on a free port, serving from a thread; yields its base URL."""
    monkeypatch.setenv("IQ_AUTH_SECRET", SECRET)
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path / 'reporting.db'}", kafka=fast_group(kafka)))
    port = local_broker.free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the reporting app did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def record(kafka: str, region: str, kind: str, how_many: int) -> list:
    recorded = datetime(2019, 3, 4, 10, tzinfo=UTC)
    return [advice_given(region=region, kind=kind, occurred_on=date(2019, 3, 4), recorded_at=recorded)
            for _ in range(how_many)]


def wait_for_sessions(base: str, expected: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        figures = httpx.get(f"{base}/v1/public/figures?{SHEET}").json()
        if figures["counselling"]["initial_advice_sessions"] == expected:
            return
        time.sleep(0.1)
    pytest.fail(f"the projection did not reach {expected} sessions: {figures['counselling']}")


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def test_the_figures_page_renders_in_a_real_browser(reporting, kafka, browser, tmp_path):
    events = (record(kafka, "DE-NW", "recognition", 5) + record(kafka, "DE-NW", "job_training", 1)
              + record(kafka, "DE-BY", "recognition", 4) + record(kafka, "DE-BY", "job_training", 3))
    # Playwright's sync API keeps an event loop running in this thread: produce from another one
    producing = threading.Thread(target=asyncio.run, args=(produce(kafka, events),))
    producing.start()
    producing.join()
    wait_for_sessions(reporting, 13)

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{reporting}/v1/public/figures/page?{SHEET}")
    assert page.title().startswith("The Network IQ in figures")
    assert page.locator("h1").inner_text() == "The Network IQ in figures"
    assert "Counselling" in page.locator("h2").all_inner_texts()
    assert "By region" in page.locator("h2").all_inner_texts()
    assert page.locator(".keys strong").first.inner_text() == "13"
    public = httpx.get(f"{reporting}/v1/public/figures?{SHEET}").json()
    nw_kinds = public["by_region"]["DE-NW"]["counselling"]["initial_advice_by_kind"]
    assert nw_kinds["job_training"] == "<3"
    assert "x" in nw_kinds.values()  # withheld so DE-NW's single session stays hidden
    kinds = page.locator("table", has_text="Initial advice by kind (numbers)")
    assert kinds.locator("td").all_inner_texts()[::2] == ["9", "4", "0"]  # national: exact, nothing small

    bars = page.locator("svg rect.bar")
    assert bars.count() >= 3
    for i in range(bars.count()):
        box = bars.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    kinds_chart = page.locator("figure", has_text="Initial advice by kind").first.locator("svg")
    assert kinds_chart.bounding_box()["width"] > 300
    page.screenshot(path=str(tmp_path / "public-figures.png"), full_page=True)
    assert (tmp_path / "public-figures.png").stat().st_size > 10_000

    token = issue_token(SECRET, "analyst", "national", Role.ANALYST)
    page.goto(f"{reporting}/v1/figures/page?{SHEET}&token={token}")
    assert "Exact figures" in page.locator("header").inner_text()
    by_region = page.locator("table", has_text="Initial advice sessions by region (numbers)")
    assert by_region.locator("tr", has_text="DE-NW").locator("td").first.inner_text() == "6"
    page.screenshot(path=str(tmp_path / "exact-figures.png"), full_page=True)
