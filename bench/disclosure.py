"""Disclosure control speed: `public_sheet` on a national sheet of 16 regions full of small cells.

Builds a sheet shaped like the service's (every key of `iq_reporting.sheet.Figures`), with
region sizes following the demo year's populations and counts small enough that most tables
have cells of 1 or 2, so that primary and secondary suppression both have work to do.

    .venv/bin/python -m bench.disclosure [--sheets 5] [--scale 1.0] [--seed 2019]
"""

import argparse
import copy
import random
import statistics
import time

from iq_reporting.disclosure import PRIMARY, SECONDARY, counts, public_sheet
from iq_reporting.sheet import Figures
from iq_runtime.demo import POPULATION, REGIONS

DISTINCT = {("counselling", "persons_advised"), ("training", "participants_commencing"),
            ("fair_integration", "individuals_advised")}
# breakdown -> total it adds up to (as in disclosure.TABLES; the mode table shares the kind total)
TABLES = {("counselling", "initial_advice_by_kind"): ("counselling", "initial_advice_sessions"),
          ("training", "schemes_by_format"): ("training", "schemes_started"),
          ("training", "completers_by_outcome"): ("training", "completions_in_period"),
          ("fair_integration", "sessions_by_topic"): ("fair_integration", "advice_sessions")}


def _split(rng: random.Random, total: int, keys) -> dict[str, int]:
    weights = [rng.random() ** 2 for _ in keys]
    parts = [int(total * w / sum(weights)) for w in weights]
    parts[0] += total - sum(parts)
    return dict(zip(keys, parts, strict=True))


def region_tree(rng: random.Random, size: float) -> dict:
    """One region's figures: every count drawn around `size`, breakdowns adding up to their totals."""
    tree = Figures().model_dump(mode="json")

    def fill(node):
        for key, value in node.items():
            if isinstance(value, dict):
                fill(value)
            elif isinstance(value, int):
                node[key] = int(rng.expovariate(1 / size))
    fill(tree)
    for parts, total in TABLES.items():
        section, name = total
        breakdown = tree[parts[0]][parts[1]]
        tree[section][name] = sum(breakdown.values())
    counselling = tree["counselling"]
    total = counselling["initial_advice_sessions"]
    counselling["sessions_by_mode"] = _split(rng, total, counselling["sessions_by_mode"])
    for group in tree["intercultural_opening"].values():
        group["total_formats"] = group["trainings"] + group["events"]
        group["total_participants"] = group["training_participants"] + group["event_participants"]
    for section, key in (("counselling", "top_occupations"), ("counselling", "top_countries"),
                         ("training", "top_occupations")):
        tree[section][key] = sorted(({"code": f"{n:05d}", "count": int(rng.expovariate(1 / size)) + 1}
                                     for n in range(5)), key=lambda r: -r["count"])
    training = tree["training"]
    for name in training["schemes_by_format_shares"]:
        started = training["schemes_started"]
        training["schemes_by_format_shares"][name] = training["schemes_by_format"][name] / started if started else 0.0
    return tree


def national(by_region: dict[str, dict], rng: random.Random) -> dict:
    """The sum over regions, except distinct persons (fewer than the sum) and top lists."""
    tree = Figures().model_dump(mode="json")
    for path, _ in counts(tree):
        total = sum(_at(region, path) for region in by_region.values())
        _set(tree, path, total - rng.randint(0, total // 10) if path in DISTINCT else total)
    any_region = next(iter(by_region.values()))
    for section, key in (("counselling", "top_occupations"), ("counselling", "top_countries"),
                         ("training", "top_occupations")):
        tree[section][key] = copy.deepcopy(any_region[section][key])
    tree["training"]["schemes_by_format_shares"] = dict(any_region["training"]["schemes_by_format_shares"])
    return tree


def _at(tree, path):
    for step in path:
        tree = tree[step]
    return tree


def _set(tree, path, value):
    _at(tree, path[:-1])[path[-1]] = value


def realistic_sheet(seed: int = 2019, scale: float = 1.0) -> dict:
    rng = random.Random(seed)
    by_region = {code: region_tree(rng, scale * 40 * weight / POPULATION * len(REGIONS) / 4)
                 for code, (weight, _) in REGIONS.items()}
    return {"period": {"from": "2019-01-01", "to": "2019-12-31"}, "as_of": "2020-02-20", "scope": ["national"],
            **national(by_region, rng), "by_region": by_region}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    for n in range(args.sheets):
        exact = realistic_sheet(args.seed + n, args.scale)
        values = [v for _, v in counts(exact)]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            public = public_sheet(exact)
            times.append(time.perf_counter() - start)
        shown = [v for _, v in counts(public)] + [v for _, v in _symbols(public)]
        print(f"sheet {n}: {len(values)} counts, {sum(v in (1, 2) for v in values)} of 1 or 2, "
              f"{shown.count(PRIMARY)} '<3', {shown.count(SECONDARY)} 'x'; "
              f"public_sheet median {statistics.median(times) * 1000:.1f} ms", flush=True)


def _symbols(tree, prefix=()):
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in items:
        if isinstance(value, str) and value in (PRIMARY, SECONDARY):
            yield (*prefix, key), value
        elif isinstance(value, dict | list):
            yield from _symbols(value, (*prefix, key))


if __name__ == "__main__":
    main()
