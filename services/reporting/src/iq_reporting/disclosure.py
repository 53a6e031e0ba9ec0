"""Disclosure control: the public sheet from the exact one (method and symbols: DISCLOSURE.md).

Primary: a count of 1 or 2 is shown as "<3" (0 stays 0). Secondary: further cells are shown
as "x" until an attacker who knows every published number and every published sum cannot pin
any hidden cell to one value. The attack is modelled by interval propagation over the sums
(`exposed`), which is what the brute-force test checks against. Pure functions, no I/O."""

import copy
from collections.abc import Iterator
from dataclasses import dataclass

PRIMARY = "<3"  # a count of 1 or 2
SECONDARY = "x"  # hidden so that a "<3" cell cannot be worked out; any count, 0 included
Path = tuple[str | int, ...]
UNBOUNDED = 10**15

# (parts, total) inside one scope: the national sheet and each region's sheet alike
TABLES: list[tuple[Path, Path]] = [
    (("counselling", "initial_advice_by_kind"), ("counselling", "initial_advice_sessions")),
    (("counselling", "sessions_by_mode"), ("counselling", "initial_advice_sessions")),
    (("training", "schemes_by_format"), ("training", "schemes_started")),
    (("training", "completers_by_outcome"), ("training", "completions_in_period")),
    (("fair_integration", "sessions_by_topic"), ("fair_integration", "advice_sessions")),
]
SUMS: list[tuple[tuple[Path, ...], Path]] = [
    ((("intercultural_opening", group, a), ("intercultural_opening", group, b)),
     ("intercultural_opening", group, total))
    for group in ("labour_market", "business")
    for a, b, total in (("trainings", "events", "total_formats"),
                        ("training_participants", "event_participants", "total_participants"))
]
NOT_FIGURES = {"period", "as_of", "scope", "disclosure"}


@dataclass(frozen=True)
class Sum:
    """A published identity: total = sum(parts)."""

    total: Path
    parts: tuple[Path, ...]


def counts(tree: dict, prefix: Path = ()) -> Iterator[tuple[Path, int]]:
    """Every count in the sheet, by path (lists of top entries included)."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in items:
        if not prefix and key in NOT_FIGURES:
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            yield (*prefix, key), value
        elif isinstance(value, dict | list):
            yield from counts(value, (*prefix, key))


def sums(tree: dict) -> list[Sum]:
    """The identities a reader can rely on. One is used only when it holds in this sheet:
    a breakdown that does not add up (e.g. distinct persons) reveals nothing through its total."""
    values = dict(counts(tree))
    scopes = [()] + [("by_region", region) for region in tree.get("by_region", {})]
    candidates = []
    for scope in scopes:
        for parts, total in TABLES:
            breakdown = _at(tree, (*scope, *parts))
            keys = list(breakdown) if isinstance(breakdown, dict) else []
            candidates.append(Sum((*scope, *total), tuple((*scope, *parts, key) for key in keys)))
        candidates += [Sum((*scope, *total), tuple((*scope, *p) for p in parts)) for parts, total in SUMS]
    regions = scopes[1:]
    for path, _ in counts({k: v for k, v in tree.items() if k != "by_region"}):
        if all(not isinstance(step, int) for step in path):  # not the truncated top lists
            candidates.append(Sum(path, tuple((*region, *path) for region in regions)))
    return [s for s in candidates if s.parts and all(p in values for p in (s.total, *s.parts))
            and values[s.total] == sum(values[p] for p in s.parts)]


def _at(tree, path: Path):
    for step in path:
        try:
            tree = tree[step]
        except (KeyError, IndexError, TypeError):
            return None
    return tree


def exposed(values: dict[Path, int], hidden: dict[Path, str], identities: list[Sum]) -> list[Path]:
    """Hidden cells an attacker pins to one value by propagating bounds through the sums."""
    bounds = {p: (1, 2) if s == PRIMARY else (0, UNBOUNDED) for p, s in hidden.items()}
    for _ in range(200):
        changed = False
        for identity in identities:
            terms = [(identity.total, -1)] + [(p, 1) for p in identity.parts]
            known = sum(sign * values[p] for p, sign in terms if p not in bounds)
            for p, sign in terms:
                if p not in bounds:
                    continue
                others = [(bounds[q], s) for q, s in terms if q in bounds and q != p]
                low = -known - sum(max(s * lo, s * hi) for (lo, hi), s in others)
                high = -known - sum(min(s * lo, s * hi) for (lo, hi), s in others)
                if sign < 0:
                    low, high = -high, -low
                lo, hi = bounds[p]
                tightened = (max(lo, low), min(hi, high))
                if tightened != bounds[p]:
                    bounds[p], changed = tightened, True
        if not changed:
            break
    return sorted((p for p, (lo, hi) in bounds.items() if lo >= hi), key=str)


def suppress(values: dict[Path, int], identities: list[Sum]) -> dict[Path, str]:
    """Which cells to hide, and how. Greedy: while a hidden cell is exposed, also hide the
    smallest published non-zero cell of a sum it is in (a small cell costs readers least)."""
    hidden = {p: PRIMARY for p, v in values.items() if v in (1, 2)}
    while found := exposed(values, hidden, identities):
        cell = found[0]
        linked = {q for s in identities if cell in (s.total, *s.parts) for q in (s.total, *s.parts)}
        published = sorted((values[q] == 0, values[q], str(q), q) for q in linked if q not in hidden)
        primaries = sorted((q for q in linked if hidden.get(q) == PRIMARY), key=str)
        if published and published[0][1] > 0:
            hidden[published[0][3]] = SECONDARY
        elif primaries:  # everything around it is hidden already: widen a "<3" to "x"
            hidden[cell if cell in primaries else primaries[0]] = SECONDARY
        elif published:  # last resort: a zero, too, can hide behind "x"
            hidden[published[0][3]] = SECONDARY
        else:
            raise AssertionError(f"cannot protect {cell}")  # every sum's cells are "x": cannot happen
    return hidden


def public_sheet(exact: dict) -> dict:
    """The sheet as published: the same tree, hidden counts replaced by their symbol."""
    values = dict(counts(exact))
    hidden = suppress(values, sums(exact))
    public = copy.deepcopy(exact)
    for path, symbol in hidden.items():
        *parent, key = path
        _at(public, tuple(parent))[key] = symbol
    for path in _shares(exact):  # a share of a hidden count would give the count away
        if any(hidden_path[: len(path) - 2] == path[:-2] for hidden_path in hidden):
            *parent, key = path
            _at(public, tuple(parent))[key] = SECONDARY
    public["disclosure"] = {"primary": PRIMARY, "secondary": SECONDARY, "method": "see DISCLOSURE.md",
                            "suppressed": len(hidden)}
    return public


def _shares(tree, prefix: Path = ()) -> Iterator[Path]:
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in items:
        if isinstance(value, float):
            yield (*prefix, key)
        elif isinstance(value, dict | list) and not (not prefix and key in NOT_FIGURES):
            yield from _shares(value, (*prefix, key))


def share(part: int | str, whole: int | str) -> float | None:
    """A share in percent, or None when it would reveal a hidden count (or whole is 0)."""
    if not isinstance(part, int) or not isinstance(whole, int) or whole == 0:
        return None
    return 100 * part / whole
