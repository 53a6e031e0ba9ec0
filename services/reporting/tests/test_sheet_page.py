"""The HTML page and the publishing routes (JSON, CSV, page) with the sheet from a fixture:
who may read what, which sheet (exact or public) each route serves, and what the page shows."""

import contextlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from iq_reporting import presentation_api
from iq_reporting.disclosure import PRIMARY
from iq_reporting.sheet_page import TITLE, render
from iq_runtime.auth import Role, issue_token
from iq_runtime.errors import install_handlers

EXAMPLE = json.loads((Path(__file__).parent / "example_sheet.json").read_text())
SECRET = "reporting-presentation-test-secret"


class Outline(HTMLParser):
    """Headings, table captions and SVG bars of a page."""

    def __init__(self, page: str):
        super().__init__()
        self.headings, self.captions, self.bars, self.lang, self._in = [], [], 0, None, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("h1", "h2", "caption", "title"):
            self._in = tag
        if tag == "rect" and attrs.get("class") == "bar":
            self.bars += 1

    def handle_endtag(self, tag):
        self._in = None if tag == self._in else self._in

    def handle_data(self, data):
        if self._in in ("h1", "h2"):
            self.headings.append(data)
        elif self._in == "caption":
            self.captions.append(data)


def test_the_page_has_title_sections_charts_and_the_numbers_behind_them():
    page = render(EXAMPLE, public=False)
    outline = Outline(page)
    assert outline.lang == "en"
    assert f"<title>{TITLE}" in page
    assert outline.headings == [TITLE, "Counselling", "Qualification", "Intercultural opening", "Fair integration",
                                "By region"]
    assert "Initial advice by kind (numbers)" in outline.captions
    assert "Schemes by format (numbers)" in outline.captions
    assert "Initial advice sessions by region (numbers)" in outline.captions
    assert "Top occupations of the persons advised (numbers)" in outline.captions
    assert outline.bars >= 3 + 2 + 3  # kinds, formats, regions at least
    assert "2019-01-01" in page and "2020-02-20" in page and "Scope: national" in page
    assert "<strong>488</strong>" in page


def test_the_public_page_shows_symbols_without_bars_or_shares():
    public = presentation_api.disclosure.public_sheet(EXAMPLE)
    page = render(public, public=True)
    assert PRIMARY in page or "&lt;3" in page
    hb_only = render(public | {"by_region": {}, "counselling": public["by_region"]["DE-HB"]["counselling"]},
                     public=True)
    # DE-HB: job training 1 ("<3") and recognition withheld ("x"): no share for the hidden ones
    kinds = re.search(r"<table><caption>Initial advice by kind.*?</table>", hb_only).group(0)
    assert '<th scope="row">Job training</th><td class="n">&lt;3</td><td class="n">–</td>' in kinds
    assert '<th scope="row">Recognition</th><td class="n">x</td><td class="n">–</td>' in kinds


def test_missing_sections_are_left_out():
    page = render({"period": {"from": "2019-01-01", "to": "2019-12-31"}, "as_of": "2020-01-01",
                   "scope": ["DE-NW"], "counselling": {"initial_advice_sessions": 5}, "by_region": {}}, public=False)
    assert Outline(page).headings == [TITLE, "Counselling"]


def test_names_in_the_sheet_are_escaped():
    tree = {"period": {}, "as_of": "2020-01-01", "scope": ["national"],
            "counselling": {"top_occupations": [{"code": "1", "label": "<script>x</script>", "count": 4}]}}
    assert "<script>" not in render(tree, public=False)


class FakeSheet:
    def model_dump(self, **_):
        return json.loads(json.dumps(EXAMPLE))


@pytest.fixture
def client(monkeypatch):
    asked = []

    async def sheet(session, period, as_of, regions):
        asked.append((period, as_of, regions))
        return FakeSheet()

    monkeypatch.setattr(presentation_api, "sheet", sheet)
    app = FastAPI()
    app.state.settings = SimpleNamespace(auth_secret=SecretStr(SECRET))
    app.state.runtime = SimpleNamespace(sessions=contextlib.nullcontext)
    install_handlers(app)
    app.include_router(presentation_api.router)
    with TestClient(app) as client:
        client.asked = asked
        yield client


def token(region="national", role=Role.ANALYST) -> str:
    return issue_token(SECRET, "analyst", region, role)


def test_the_public_json_is_suppressed_and_needs_no_token(client):
    body = client.get("/v1/public/figures?period=2019&as_of=2020-02-20").json()
    assert body["by_region"]["DE-HB"]["counselling"]["contact_points"]["permanent"] == PRIMARY
    assert body["disclosure"]["primary"] == PRIMARY
    period, as_of, regions = client.asked[0]
    assert (str(period.start), str(period.end), str(as_of), regions) == ("2019-01-01", "2019-12-31", "2020-02-20", None)


def test_regions_are_passed_on(client):
    client.get("/v1/public/figures?period=2019&region=DE-NW&region=DE-BW")
    assert client.asked[0][2] == ["DE-BW", "DE-NW"]


@pytest.mark.parametrize(("url", "field"), [("/v1/public/figures?period=2019-13", "period"),
                                            ("/v1/public/figures?from=2019-05-01&to=2019-04-01", "to"),
                                            ("/v1/public/figures.csv?region=DE-XX", "region"),
                                            ("/v1/public/figures/page?as_of=yesterday", "as_of")])
def test_bad_query_parameters_are_refused_naming_the_field(client, url, field):
    response = client.get(url)
    assert response.status_code == 422
    assert field in json.dumps(response.json()["detail"])


def test_the_public_csv_is_suppressed_with_a_filename(client):
    response = client.get("/v1/public/figures.csv?period=2019")
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="network-iq-figures_2019-01-01_2019-12-31_as-of-2020-02-20_national_public.csv"' in \
        response.headers["content-disposition"]
    assert "counselling,contact_points,permanent,DE-HB,<3" in response.text


def test_the_exact_csv_needs_an_analyst_token(client):
    assert client.get("/v1/figures.csv").status_code == 401
    recorder = {"Authorization": f"Bearer {token(role=Role.RECORDER)}"}
    assert client.get("/v1/figures.csv", headers=recorder).status_code == 403
    response = client.get("/v1/figures.csv", headers={"Authorization": f"Bearer {token()}"})
    assert "counselling,contact_points,permanent,DE-HB,1" in response.text
    assert "_exact.csv" in response.headers["content-disposition"]


def test_a_regional_analyst_reads_only_its_region(client):
    headers = {"Authorization": f"Bearer {token('DE-NW')}"}
    assert client.get("/v1/figures.csv", headers=headers).status_code == 403
    assert client.get("/v1/figures.csv?region=DE-NW", headers=headers).status_code == 200
    assert client.get(f"/v1/figures/page?region=DE-BW&token={token('DE-NW')}").status_code == 403


def test_the_exact_page_takes_the_token_from_the_header_or_the_query(client):
    assert client.get("/v1/figures/page").status_code == 401
    assert client.get("/v1/figures/page?token=not-a-token").status_code == 401
    assert client.get(f"/v1/figures/page?token={token(role=Role.RECORDER)}").status_code == 403
    by_query = client.get(f"/v1/figures/page?token={token()}")
    by_header = client.get("/v1/figures/page", headers={"Authorization": f"Bearer {token()}"})
    assert by_query.status_code == by_header.status_code == 200
    assert by_query.headers["cache-control"] == "no-store"
    assert "Exact figures" in by_query.text


def test_the_token_in_the_query_is_only_for_the_page(client):
    assert client.get(f"/v1/figures.csv?token={token()}").status_code == 401


def test_the_public_page_needs_no_token(client):
    response = client.get("/v1/public/figures/page?period=2019")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Public figures" in response.text
