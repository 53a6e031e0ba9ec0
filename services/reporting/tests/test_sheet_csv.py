"""The CSV export: one row per figure with section, figure, breakdown, region and value."""

import csv
import io
import json
from pathlib import Path

from iq_reporting.disclosure import PRIMARY, public_sheet
from iq_reporting.sheet_csv import HEADER, filename, to_csv

EXAMPLE = json.loads((Path(__file__).parent / "example_sheet.json").read_text())


def table(sheet) -> list[dict]:
    return list(csv.DictReader(io.StringIO(to_csv(sheet))))


def test_every_figure_is_one_row_with_its_region():
    rows = table(EXAMPLE)
    assert tuple(rows[0]) == HEADER
    assert {"section": "counselling", "figure": "initial_advice_by_kind", "breakdown": "job_training",
            "region": "national", "value": "134"} in rows
    assert {"section": "counselling", "figure": "initial_advice_sessions", "breakdown": "",
            "region": "DE-HB", "value": "8"} in rows
    assert {"section": "intercultural_opening", "figure": "business", "breakdown": "total_formats",
            "region": "DE-NW", "value": "10"} in rows


def test_top_lists_are_named_by_code_and_nested_breakdowns_by_path():
    rows = table(EXAMPLE)
    assert {"section": "counselling", "figure": "top_occupations", "breakdown": "81302",
            "region": "national", "value": "123"} in rows
    assert {"section": "training", "figure": "esf", "breakdown": "participants_by_gender/female",
            "region": "DE-BW", "value": "80"} in rows


def test_the_public_csv_carries_the_symbols():
    rows = table(public_sheet(EXAMPLE))
    hb_permanent = next(r for r in rows if r["region"] == "DE-HB" and r["breakdown"] == "permanent")
    assert hb_permanent["value"] == PRIMARY


def test_a_sheet_with_only_some_sections_still_exports():
    rows = table({"period": {"from": "2019-01-01", "to": "2019-12-31"}, "as_of": "2020-01-01",
                  "scope": ["DE-NW"], "counselling": {"initial_advice_sessions": 4}, "by_region": {}})
    assert rows == [{"section": "counselling", "figure": "initial_advice_sessions", "breakdown": "",
                     "region": "DE-NW", "value": "4"}]


def test_the_filename_names_period_reference_date_scope_and_kind():
    assert filename(EXAMPLE, public=True) == (
        "network-iq-figures_2019-01-01_2019-12-31_as-of-2020-02-20_national_public.csv")
