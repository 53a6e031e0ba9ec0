"""The figures sheet as CSV: one row per figure, national first, then each region."""

import csv
import io
from collections.abc import Iterator

HEADER = ("section", "figure", "breakdown", "region", "value")
NOT_FIGURES = {"period", "as_of", "scope", "disclosure", "by_region"}


def rows(sheet: dict) -> Iterator[tuple]:
    total = "+".join(sheet.get("scope") or ["national"])  # "national", or the regions asked for
    regions = [(r, tree) for r, tree in sorted(sheet.get("by_region", {}).items()) if r != total]
    scopes = [(total, sheet), *regions]
    for region, tree in scopes:
        for section, figures in tree.items():
            if section in NOT_FIGURES or not isinstance(figures, dict):
                continue
            for figure, value in figures.items():
                for breakdown, leaf in _leaves(value):
                    yield section, figure, breakdown, region, leaf


def _leaves(value, breakdown: str = "") -> Iterator[tuple[str, object]]:
    """A top list's entries are named by their code; a nested breakdown by its keys, joined by '/'."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, f"{breakdown}/{key}" if breakdown else str(key))
    elif isinstance(value, list):
        for entry in value:
            if isinstance(entry, dict) and "code" in entry and "count" in entry:
                yield from _leaves(entry["count"], f"{breakdown}/{entry['code']}" if breakdown else entry["code"])
    else:
        yield breakdown, value


def to_csv(sheet: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(sheet))
    return out.getvalue()


def filename(sheet: dict, public: bool) -> str:
    """e.g. network-iq-figures_2019-01-01_2019-12-31_as-of-2020-02-20_national_public.csv"""
    period = sheet.get("period", {})
    scope = "+".join(sheet.get("scope") or ["national"])
    kind = "public" if public else "exact"
    return f"network-iq-figures_{period.get('from')}_{period.get('to')}_as-of-{sheet.get('as_of')}_{scope}_{kind}.csv"
