"""Disclosure control, checked by an attacker who knows every published number and sum and
searches all values of the hidden cells: no hidden cell may come out with only one value."""

import json
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from iq_reporting.disclosure import PRIMARY, SECONDARY, counts, public_sheet, share
from iq_reporting.sheet import ESF_ATTRIBUTES
from iq_reporting.tree import figures_of

EXAMPLE = json.loads((Path(__file__).parent / "example_sheet.json").read_text())
KINDS = ("recognition", "job_training", "recognition_and_job_training")
MODES = ("in_person", "phone")
OUTCOMES = ("full_recognition", "employment_appropriate", "discontinued", "other")
FORMATS = ("trainings", "events", "consultations")  # what an opening's total_formats adds up


def scope_tree(kinds, modes, io) -> dict:
    trainings, training_participants, events, event_participants, *rest = io
    consultations = rest[0] if rest else 0
    return {
        "counselling": {"initial_advice_sessions": sum(kinds),
                        "initial_advice_by_kind": dict(zip(KINDS, kinds, strict=False)),
                        "sessions_by_mode": dict(zip(MODES, modes, strict=False))},
        "intercultural_opening": {"business": {
            "trainings": trainings, "training_participants": training_participants, "events": events,
            "event_participants": event_participants, "consultations": consultations,
            "total_formats": trainings + events + consultations,
            "total_participants": training_participants + event_participants}},
    }


def small_sheet(regions: list[tuple]) -> dict:
    """A sheet of a few regions; each region is (kinds, modes, io) with sum(modes) == sum(kinds)."""
    by_region = {f"DE-R{i}": scope_tree(*region) for i, region in enumerate(regions)}
    columns = [tuple(map(sum, zip(*(region[part] for region in regions), strict=True))) for part in range(3)]
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
        found.append([((*business, "total_formats"), -1)] + [((*business, f), 1) for f in FORMATS])
        found.append([((*business, "total_participants"), -1), ((*business, "training_participants"), 1),
                      ((*business, "event_participants"), 1)])
    for path, _ in counts({k: v for k, v in sheet.items() if k != "by_region"}):
        found.append([(path, -1)] + [((*s, *path), 1) for s in scopes[1:]])
    return found


def _narrow(domains, equations) -> dict | None:
    """Bounds propagation: each cell of an equation within what the others' ranges leave it."""
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for terms in equations:
            ranges = [(sign * domains[cell][0], sign * domains[cell][1])[::sign] for cell, sign in terms]
            least, most = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
            for (cell, sign), (own_least, own_most) in zip(terms, ranges, strict=True):
                # sign * cell = -(the rest), and the rest lies in [least - own_least, most - own_most]
                low, high = own_most - most, own_least - least
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


def recoverable(exact: dict, public: dict, equations=None) -> list[tuple]:
    """The hidden cells that have a single value in every assignment consistent with `public`
    (`equations`: what the reader knows adds up, by default `relations`)."""
    values = dict(counts_or_symbols(exact))
    bound = max(values.values()) + 3
    domains = {}
    for path, shown in counts_or_symbols(public):
        if path not in values:  # a share hidden as "x"
            continue
        if shown == PRIMARY:
            domains[path] = (1, 2)
        elif shown == SECONDARY:
            domains[path] = (0, bound)
        else:
            assert shown == values[path], path
            domains[path] = (shown, shown)
    equations = relations(exact) if equations is None else equations
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
    """Every count or symbol by path; an entry of a top list by its code, whatever its place."""
    for key, value in tree.items():
        if not prefix and key in ("period", "as_of", "scope", "disclosure"):
            continue
        if isinstance(value, dict):
            yield from counts_or_symbols(value, (*prefix, key))
        elif isinstance(value, list):
            for entry in value:
                yield (*prefix, key, entry["code"]), entry["count"]
        elif not isinstance(value, float):  # a share: checked on its own below
            yield (*prefix, key), value


def primary_only(exact: dict) -> dict:
    """The naive public sheet: small cells hidden, nothing else."""
    def hide(node):
        if isinstance(node, dict):
            return {k: hide(v) for k, v in node.items()}
        return PRIMARY if node in (1, 2) and not isinstance(node, bool) else node
    return {k: (v if k in ("period", "as_of", "scope") else hide(v)) for k, v in exact.items()}


def region(kinds, modes=None, io=(0, 0, 0, 0, 0)):
    """io: trainings, their participants, events, their participants and (default 0) consultations."""
    modes = modes or (sum(kinds), 0)
    assert sum(modes) == sum(kinds)
    return (kinds, modes, (*io, 0)[:5])


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
    "one small consultation beside trainings and events": [region((3, 0, 0), (3, 0), (5, 50, 4, 40, 1))],
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
    io = tuple(rng.choice(small) for _ in range(5))
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


# The whole tree as the service builds it (tree.figures_of), from random records of every kind
OCCUPATIONS, COUNTRIES = ("81302", "81313", "82102", "26122", "25252", "43104", "72213"), ("SY", "UA", "TR", "AF")
FULL_MODES = ("in_person", "phone", "video", "mobile")


def random_tally(rng: random.Random) -> dict:
    """One region's summed rows: every record counted in each of its breakdowns, as rules.py does."""
    tally = defaultdict(Counter)

    def few() -> int:
        return rng.choice([0, 0, 1, 1, 2, 3, 5])

    for _ in range(few() + few()):
        tally["counselling.initial_advice"][rng.choice(KINDS)] += 1
        tally["counselling.initial_advice_by_mode"][rng.choice(FULL_MODES)] += 1
        tally["counselling.initial_advice_by_occupation"][f"kldb2010:{rng.choice(OCCUPATIONS)}"] += 1
        tally["counselling.initial_advice_by_country"][rng.choice(COUNTRIES)] += 1
    for _ in range(few()):
        tally["training.schemes_started"][rng.choice(("course", "individual"))] += 1
        tally["training.schemes_by_measure_type"][rng.choice(("compensatory_measure", "bridge_training"))] += 1
    for _ in range(few() + few()):
        tally["training.participants_commencing"][rng.choice(("course", "individual"))] += 1
        tally["training.participants_by_occupation"][f"kldb2010:{rng.choice(OCCUPATIONS)}"] += 1
        for attribute, codes in ESF_ATTRIBUTES.items():
            tally[f"training.esf.{attribute}"][rng.choice(list(codes)).value] += 1
    for measure in ("training.completions", "training.completers"):
        for _ in range(few()):
            tally[measure][rng.choice(OUTCOMES)] += 1
    for group in ("labour_market", "business"):
        for kind in ("training", "event", "consultation"):
            for _ in range(few()):
                tally["intercultural_opening.formats"][f"{group}/{kind}"] += 1
                if kind != "consultation":
                    tally["intercultural_opening.participants"][f"{group}/{kind}"] += rng.randint(1, 3)
    for _ in range(few() + few()):
        tally["fair_integration.advice_sessions"][rng.choice(("initial", "follow_up"))] += 1
        tally["fair_integration.sessions_by_topic"][rng.choice(("wages", "working_time", "dismissal"))] += 1
    return {measure: dict(cells) for measure, cells in tally.items()}


def full_sheet(tallies: list[dict]) -> dict:
    national = defaultdict(Counter)
    for tally in tallies:
        for measure, cells in tally.items():
            national[measure].update(cells)
    persons = {"counselling": 1, "fair_integration": 2}  # distinct persons: not additive, as in the service
    return {"period": {}, "as_of": "2020-01-01", "scope": ["national"],
            **figures_of({m: dict(c) for m, c in national.items()}, persons, {"permanent": 1}),
            "by_region": {f"DE-R{i}": figures_of(tally, persons, {"permanent": 1}) for i, tally in enumerate(tallies)}}


def full_relations(sheet: dict) -> list[list[tuple[tuple, int]]]:
    """Every sum a reader can rely on in the service's tree, written from what the figures
    mean (DESIGN.md), not from the module; used where it holds in this sheet."""
    values = dict(counts_or_symbols(sheet))
    scopes = [()] + [("by_region", r) for r in sheet["by_region"]]
    found = []

    def parts(path: tuple) -> list[tuple]:
        return [p for p in values if p[:len(path)] == path and len(p) == len(path) + 1]

    for s in scopes:
        c, t, f = (*s, "counselling"), (*s, "training"), (*s, "fair_integration")
        known = {(*c, "initial_advice_sessions"): [(*c, b) for b in ("initial_advice_by_kind", "sessions_by_mode",
                                                                         "top_occupations", "top_countries")],
                 (*t, "schemes_started"): [(*t, "schemes_by_format"), (*t, "schemes_by_measure_type")],
                 (*t, "participants_commencing"): [(*t, "participants_by_format"), (*t, "top_occupations"),
                                                   *((*t, "esf", a) for a in ESF_ATTRIBUTES)],
                 (*t, "completions_in_period"): [(*t, "completions_in_period_by_outcome")],
                 (*f, "advice_sessions"): [(*f, "advice_sessions_by_type"), (*f, "sessions_by_topic")]}
        for total, breakdowns in known.items():
            found += [[(total, -1)] + [(p, 1) for p in parts(b)] for b in breakdowns]
        found.append([((*t, "successful_completers"), -1), ((*t, "completers_by_outcome", "full_recognition"), 1),
                      ((*t, "completers_by_outcome", "employment_appropriate"), 1)])
        for group in ("labour_market", "business"):
            g = (*s, "intercultural_opening", group)
            found.append([((*g, "total_formats"), -1)] + [((*g, k), 1) for k in FORMATS])
            found.append([((*g, "total_participants"), -1), ((*g, "training_participants"), 1),
                          ((*g, "event_participants"), 1)])
    # every figure of the sheet is the sum of the regions' figures, a listed occupation or country
    # the sum of the regions' entries of that code (absent: 0, or not shown)
    for path in values:
        if path[0] != "by_region":
            found.append([(path, -1)] + [((*s, *path), 1) for s in scopes[1:] if (*s, *path) in values])
    return [terms for terms in found if len(terms) > 1 and all(p in values for p, _ in terms)
            and sum(values[p] * sign for p, sign in terms) == 0]


@pytest.mark.parametrize("seed", range(8))  # ~2 s each: the search is exhaustive
def test_no_hidden_cell_can_be_recovered_from_any_sum_of_the_service_tree(seed):
    rng = random.Random(2000 + seed)
    exact = full_sheet([random_tally(rng) for _ in range(rng.randint(1, 2))])
    public = public_sheet(exact)
    assert recoverable(exact, public, full_relations(exact)) == []


def test_the_sums_of_the_service_tree_catch_what_the_small_tables_miss():
    # 5 trainings and 4 events, 1 consultation: total_formats 10 gives the consultation away
    # unless consultations are part of the sum; one completion of 10 by its outcomes likewise
    tally = {"intercultural_opening.formats": {"business/training": 5, "business/event": 4,
                                               "business/consultation": 1},
             "intercultural_opening.participants": {"business/training": 50, "business/event": 40},
             "training.completions": {"full_recognition": 5, "discontinued": 4, "other": 1}}
    exact = full_sheet([tally])
    assert recoverable(exact, primary_only(exact), full_relations(exact)) != []
    assert recoverable(exact, public_sheet(exact), full_relations(exact)) == []


def test_the_entries_of_a_top_list_add_up_across_regions():
    # SY is 2 in both regions and 4 in the sheet: "<3" + "<3" = 4 would give both away
    def region(countries: dict) -> dict:
        n = sum(countries.values())
        return {"counselling.initial_advice": {"recognition": n}, "counselling.initial_advice_by_mode": {"phone": n},
                "counselling.initial_advice_by_occupation": {"kldb2010:81302": n},
                "counselling.initial_advice_by_country": countries}
    exact = full_sheet([region({"SY": 2, "TR": 3}), region({"SY": 2, "IR": 3})])
    assert [(e["code"], e["count"]) for e in exact["counselling"]["top_countries"]] == [("SY", 4), ("IR", 3), ("TR", 3)]
    assert recoverable(exact, public_sheet(exact), full_relations(exact)) == []


def test_a_complete_top_list_is_a_sum_and_hidden_entries_lose_their_rank():
    # two countries only: the list is complete and adds up to the sessions; in the order by count,
    # a "<3" of 2 listed before a "<3" of 1 out of code order would tell them apart
    tally = {"counselling.initial_advice": {"recognition": 12},
             "counselling.initial_advice_by_mode": {"in_person": 12},
             "counselling.initial_advice_by_occupation": {"kldb2010:81302": 12},
             "counselling.initial_advice_by_country": {"SY": 9, "UA": 2, "AF": 1}}
    exact = full_sheet([tally])
    public = public_sheet(exact)
    listed = public["counselling"]["top_countries"]
    assert [e["code"] for e in listed if isinstance(e["count"], str)] == sorted(
        e["code"] for e in listed if isinstance(e["count"], str))
    assert listed[-2:] == sorted(listed[-2:], key=lambda e: e["code"]) and {e["count"] for e in listed[-2:]} <= {
        PRIMARY, SECONDARY}
    assert recoverable(exact, public, full_relations(exact)) == []
