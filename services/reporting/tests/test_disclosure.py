"""Disclosure control, checked by an attacker who knows every published number and sum and
searches all values of the hidden cells: no hidden cell may come out with only one value."""

import json
import random
from pathlib import Path

import pytest

from iq_reporting.disclosure import PRIMARY, SECONDARY, counts, public_sheet, share

EXAMPLE = json.loads((Path(__file__).parent / "example_sheet.json").read_text())
KINDS = ("recognition", "job_training", "recognition_and_job_training")
MODES = ("in_person", "phone")


def scope_tree(kinds, modes, io) -> dict:
    trainings, training_participants, events, event_participants = io
    return {
        "counselling": {"initial_advice_sessions": sum(kinds),
                        "initial_advice_by_kind": dict(zip(KINDS, kinds, strict=False)),
                        "sessions_by_mode": dict(zip(MODES, modes, strict=False))},
        "intercultural_opening": {"business": {
            "trainings": trainings, "training_participants": training_participants, "events": events,
            "event_participants": event_participants, "total_formats": trainings + events,
            "total_participants": training_participants + event_participants}},
    }


def small_sheet(regions: list[tuple]) -> dict:
    """A sheet of a few regions; each region is (kinds, modes, io) with sum(modes) == sum(kinds)."""
    by_region = {f"DE-R{i}": scope_tree(*region) for i, region in enumerate(regions)}
    columns = [tuple(map(sum, zip(*(region[part] for region in regions), strict=False))) for part in range(3)]
    return {"period": {}, "as_of": "2020-01-01", "scope": ["national"], **scope_tree(*columns), "by_region": by_region}


def relations(sheet: dict) -> list[list[tuple[tuple, int]]]:
    """What a reader knows adds up, written independently of the module: terms summing to 0."""
    scopes = [()] + [("by_region", r) for r in sheet["by_region"]]
    found = []
    for s in scopes:
        total = (*s, "counselling", "initial_advice_sessions")
        for breakdown, keys in (("initial_advice_by_kind", KINDS), ("sessions_by_mode", MODES)):
            found.append([(total, -1)] + [((*s, "counselling", breakdown, k), 1) for k in keys])
        business = (*s, "intercultural_opening", "business")
        found.append([((*business, "total_formats"), -1), ((*business, "trainings"), 1), ((*business, "events"), 1)])
        found.append([((*business, "total_participants"), -1), ((*business, "training_participants"), 1),
                      ((*business, "event_participants"), 1)])
    for path, _ in counts({k: v for k, v in sheet.items() if k != "by_region"}):
        found.append([(path, -1)] + [((*s, *path), 1) for s in scopes[1:]])
    return found


def _narrow(domains, equations) -> dict | None:
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for terms in equations:
            for cell, sign in terms:
                rest = [(domains[c], s) for c, s in terms if c != cell]
                low = -sum(max(s * lo, s * hi) for (lo, hi), s in rest)
                high = -sum(min(s * lo, s * hi) for (lo, hi), s in rest)
                low, high = (low, high) if sign > 0 else (-high, -low)
                lo, hi = domains[cell]
                new = (max(lo, low), min(hi, high))
                if new[0] > new[1]:
                    return None
                if new != (lo, hi):
                    domains[cell], changed = new, True
    return domains


def consistent(domains, equations) -> bool:
    """Is there any assignment of integers in the domains satisfying every equation? (exhaustive)"""
    domains = _narrow(domains, equations)
    if domains is None:
        return False
    open_cells = [c for c, (lo, hi) in domains.items() if lo < hi]
    if not open_cells:
        return True
    cell = min(open_cells, key=lambda c: domains[c][1] - domains[c][0])
    lo, hi = domains[cell]
    return any(consistent(domains | {cell: (v, v)}, equations) for v in range(lo, hi + 1))


def recoverable(exact: dict, public: dict) -> list[tuple]:
    """The hidden cells that have a single value in every assignment consistent with `public`."""
    values = dict(counts(exact))
    bound = max(values.values()) + 3
    domains = {}
    for path, shown in counts_or_symbols(public):
        if shown == PRIMARY:
            domains[path] = (1, 2)
        elif shown == SECONDARY:
            domains[path] = (0, bound)
        else:
            assert shown == values[path], path
            domains[path] = (shown, shown)
    equations = relations(exact)
    assert consistent(domains, equations)
    unique = []
    for path, (lo, hi) in domains.items():
        if lo == hi:
            continue
        truth = values[path]
        others = [(lo, truth - 1), (truth + 1, hi)]
        if not any(a <= b and consistent(domains | {path: (a, b)}, equations) for a, b in others):
            unique.append(path)
    return unique


def counts_or_symbols(tree, prefix=()):
    for key, value in tree.items():
        if not prefix and key in ("period", "as_of", "scope", "disclosure"):
            continue
        if isinstance(value, dict):
            yield from counts_or_symbols(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def primary_only(exact: dict) -> dict:
    """The naive public sheet: small cells hidden, nothing else."""
    def hide(node):
        if isinstance(node, dict):
            return {k: hide(v) for k, v in node.items()}
        return PRIMARY if node in (1, 2) and not isinstance(node, bool) else node
    return {k: (v if k in ("period", "as_of", "scope") else hide(v)) for k, v in exact.items()}


def region(kinds, modes=None, io=(0, 0, 0, 0)):
    modes = modes or (sum(kinds), 0)
    assert sum(modes) == sum(kinds)
    return (kinds, modes, io)


ADVERSARIAL = {
    "one small cell": [region((7, 1, 0), (6, 2)), region((20, 9, 4), (30, 3))],
    "two small cells summing to 2": [region((1, 1, 10), (12, 0))],
    "everything small": [region((1, 1, 0), (1, 1))],
    "one region is the whole country": [region((5, 2, 0), (4, 3), (1, 4, 0, 0))],
    "next smallest is 3": [region((1, 3, 9), (13, 0)), region((4, 4, 4), (12, 0))],
    "a rectangle across regions": [region((1, 5, 0), (6, 0)), region((5, 1, 0), (6, 0))],
    "small totals of formats": [region((3, 0, 0), (3, 0), (1, 2, 1, 9)), region((0, 0, 0), (0, 0), (0, 0, 2, 1))],
    "zeros around a small cell": [region((0, 2, 0), (0, 2)), region((0, 0, 0), (0, 0))],
    "a rectangle of ones": [region((1, 1, 0), (1, 1)), region((1, 1, 0), (1, 1))],
    "every count two": [region((2, 2, 0), (2, 2), (2, 2, 2, 2)), region((0, 2, 2), (2, 2), (2, 0, 0, 2))],
    "kind and mode share a small total": [region((1, 0, 0), (0, 1)), region((4, 6, 3), (9, 4))],
    "a small region in every column": [region((1, 2, 1), (2, 2), (1, 2, 1, 2)), region((9, 8, 7), (12, 12))],
}


@pytest.mark.parametrize("regions", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_no_hidden_cell_can_be_recovered_in_adversarial_sheets(regions):
    exact = small_sheet(regions)
    assert recoverable(exact, public_sheet(exact)) == []


def random_region(rng: random.Random):
    small = [0, 0, 1, 1, 2, 2, 3, 4, 5, 7]
    kinds = tuple(rng.choice(small) for _ in KINDS)
    in_person = rng.randint(0, sum(kinds))
    io = tuple(rng.choice(small) for _ in range(4))
    return region(kinds, (in_person, sum(kinds) - in_person), io)


@pytest.mark.parametrize("seed", range(60))
def test_no_hidden_cell_can_be_recovered_in_random_sheets(seed):
    rng = random.Random(seed)
    exact = small_sheet([random_region(rng) for _ in range(rng.randint(1, 3))])
    assert recoverable(exact, public_sheet(exact)) == []


@pytest.mark.parametrize("seed", range(3))
def test_no_hidden_cell_can_be_recovered_in_random_sheets_of_five_regions(seed):
    rng = random.Random(1000 + seed)
    exact = small_sheet([random_region(rng) for _ in range(5)])
    assert recoverable(exact, public_sheet(exact)) == []


def test_two_hidden_cells_in_every_sum_are_not_enough():
    # four ones in a rectangle: every row and column hides two cells, yet 1 + 1 = 2 pins them all
    exact = small_sheet([region((1, 1, 0), (1, 1)), region((1, 1, 0), (1, 1))])
    public = primary_only(exact)
    for scope in ("DE-R0", "DE-R1"):
        counselling = public["by_region"][scope]["counselling"]
        counselling["initial_advice_sessions"] = SECONDARY  # the totals hidden too: still pinned
        counselling["sessions_by_mode"] = {mode: SECONDARY for mode in MODES}
    assert ("by_region", "DE-R0", "counselling", "initial_advice_by_kind", "recognition") in recoverable(exact, public)


@pytest.mark.parametrize("regions", [ADVERSARIAL["one small cell"], ADVERSARIAL["two small cells summing to 2"]])
def test_the_check_catches_primary_only_suppression(regions):
    exact = small_sheet(regions)
    assert recoverable(exact, primary_only(exact)) != []


def test_small_counts_show_as_below_three_and_zero_stays_zero():
    public = public_sheet(EXAMPLE)
    hb = public["by_region"]["DE-HB"]
    assert hb["counselling"]["contact_points"] == {"permanent": PRIMARY, "mobile": 0}
    assert hb["training"]["top_occupations"][0]["count"] == PRIMARY
    assert public["counselling"]["initial_advice_sessions"] == 488
    assert public["disclosure"]["suppressed"] > 0


def test_a_table_with_one_small_cell_hides_a_second_one():
    public = public_sheet(small_sheet([region((7, 1, 0), (8, 0)), region((20, 9, 4), (33, 0))]))
    kinds = public["by_region"]["DE-R0"]["counselling"]["initial_advice_by_kind"]
    assert kinds["job_training"] == PRIMARY
    assert SECONDARY in kinds.values() or public["by_region"]["DE-R0"]["counselling"]["initial_advice_sessions"] == "x"


def test_distinct_persons_are_not_treated_as_a_sum_of_regions():
    # 430 persons nationally, fewer than the sum over regions: no identity, so nothing hidden by it
    public = public_sheet(EXAMPLE)
    assert public["counselling"]["persons_advised"] == 430


def test_the_exact_sheet_is_left_untouched_and_missing_sections_are_fine():
    exact = {"period": {"from": "2019-01-01", "to": "2019-12-31"}, "as_of": "2020-01-01", "scope": ["national"],
             "counselling": {"initial_advice_sessions": 3, "initial_advice_by_kind": {"recognition": 2}},
             "by_region": {}}
    before = json.dumps(exact)
    public = public_sheet(exact)
    assert json.dumps(exact) == before
    assert public["counselling"]["initial_advice_by_kind"]["recognition"] == PRIMARY


def test_a_share_of_a_hidden_count_is_hidden():
    exact = {"period": {}, "as_of": "2020-01-01", "scope": ["national"],
             "training": {"schemes_started": 10, "schemes_by_format": {"course": 8, "individual": 2},
                          "course_share": 0.8}}
    assert public_sheet(exact)["training"]["course_share"] == SECONDARY
    assert share(2, 8) == 25.0
    assert share(PRIMARY, 8) is None and share(3, SECONDARY) is None and share(3, 0) is None
