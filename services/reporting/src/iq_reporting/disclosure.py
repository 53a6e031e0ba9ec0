"""Disclosure control: the public sheet from the exact one (method and symbols: DISCLOSURE.md).

Primary: a count of 1 or 2 is shown as "<3" (0 stays 0). Secondary: further cells are shown
as "x" until an attacker who knows every published number and every published sum cannot pin
any hidden cell to one value. The attack is modelled by interval propagation over the sums
(`exposed`), which is what the brute-force test checks against. Pure functions, no I/O."""

import copy
import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

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
    """Hidden cells an attacker pins to one value: bounds ("<3" is 1 or 2, "x" at least 0)
    propagated through the sums and through their combinations (Gauss-Jordan elimination),
    then each value of a narrow cell tried in turn (a value that leads to a contradiction is out)."""
    rows = _eliminated([_hidden_terms(s, values, hidden) for s in identities])
    bounds = _propagated(rows, {p: (1, 2) if s == PRIMARY else (0, UNBOUNDED) for p, s in hidden.items()})
    pinned = [p for p, (lo, hi) in bounds.items() if lo >= hi]
    for p, (lo, hi) in bounds.items() if not pinned else ():
        if hi - lo < 4 and sum(1 for v in range(lo, hi + 1) if _propagated(rows, bounds | {p: (v, v)})) < 2:
            pinned.append(p)
    return sorted(pinned, key=str)


def _propagated(rows, bounds: dict) -> dict | None:
    """Bounds narrowed until stable; None when they contradict each other."""
    bounds = dict(bounds)
    for _ in range(100):
        changed = False
        for terms, constant in rows:
            for p, a in terms.items():
                rest = [(bounds[q], b) for q, b in terms.items() if q != p]
                low = constant - sum(max(b * lo, b * hi) for (lo, hi), b in rest)
                high = constant - sum(min(b * lo, b * hi) for (lo, hi), b in rest)
                low, high = (low / a, high / a) if a > 0 else (high / a, low / a)
                lo, hi = bounds[p]
                tightened = (max(lo, math.ceil(low)), min(hi, math.floor(high)))
                if tightened[0] > tightened[1]:
                    return None
                if tightened != bounds[p]:
                    bounds[p], changed = tightened, True
        if not changed:
            break
    return bounds


def _hidden_terms(identity: Sum, values, hidden) -> tuple[dict[Path, Fraction], Fraction]:
    """total - sum(parts) = 0, as (coefficients of the hidden cells, the published rest moved right)."""
    terms, constant = {}, Fraction(0)
    for p, sign in [(identity.total, -1)] + [(p, 1) for p in identity.parts]:
        if p in hidden:
            terms[p] = terms.get(p, 0) + Fraction(sign)
        else:
            constant -= sign * values[p]
    return {p: a for p, a in terms.items() if a}, constant


def _eliminated(rows):
    """The sums plus their reduced row echelon form: a combination such as a - b = 0 or
    a = 2 is what pins a cell that no single sum pins."""
    reduced: list[tuple[dict, Fraction]] = []
    for terms, constant in rows:
        terms = dict(terms)
        for pivot_terms, pivot_constant in reduced:
            pivot = next(iter(pivot_terms))
            if (factor := terms.get(pivot)):
                for q, b in pivot_terms.items():
                    terms[q] = terms.get(q, 0) - factor * b
                terms = {q: a for q, a in terms.items() if a}
                constant -= factor * pivot_constant
        if terms:
            pivot = min(terms, key=str)
            scale = terms[pivot]
            row = ({pivot: Fraction(1)} | {q: a / scale for q, a in terms.items() if q != pivot}, constant / scale)
            for i, (other, other_constant) in enumerate(reduced):
                if (factor := other.get(pivot)):
                    merged = {q: other.get(q, 0) - factor * row[0].get(q, 0) for q in other | row[0]}
                    reduced[i] = ({q: a for q, a in merged.items() if a}, other_constant - factor * row[1])
            reduced.append(row)
    return [r for r in rows if r[0]] + [r for r in reduced if r[0]]


def suppress(values: dict[Path, int], identities: list[Sum]) -> dict[Path, str]:
    """Which cells to hide, and how: small cells, then each group of linked sums on its own."""
    hidden = {p: PRIMARY for p, v in values.items() if v in (1, 2)}
    for component in _linked(identities):
        hidden |= _protected(values, {p: s for p, s in hidden.items() if p in component[1]}, component[0])
    return hidden


def _linked(identities: list[Sum]) -> list[tuple[list[Sum], set[Path]]]:
    """The sums split into groups that share no cell (counselling's and training's tables never meet)."""
    groups: list[tuple[list[Sum], set[Path]]] = []
    for identity in identities:
        cells = {identity.total, *identity.parts}
        touching = [g for g in groups if g[1] & cells]
        merged = ([identity] + [s for g in touching for s in g[0]], cells.union(*(g[1] for g in touching)))
        groups = [g for g in groups if g not in touching] + [merged]
    return groups


def _protected(values: dict[Path, int], hidden: dict[Path, str], identities: list[Sum]) -> dict[Path, str]:
    """Which cells to hide, and how. Greedy: while a hidden cell is exposed, also hide the
    smallest published non-zero cell of a sum it is in (a small cell costs readers least)."""
    while found := set(exposed(values, hidden, identities)):
        # a cell is pinned through a chain of sums, so any sum with a pinned cell may break it
        linked = {q for s in identities if found & {s.total, *s.parts} for q in (s.total, *s.parts)}
        published = sorted((values[q] == 0, values[q], str(q), q) for q in linked if q not in hidden)
        primaries = sorted((q for q in linked if hidden.get(q) == PRIMARY), key=lambda q: (q not in found, str(q)))
        if published and published[0][1] > 0:
            hidden[published[0][3]] = SECONDARY
        elif primaries:  # everything around it is hidden already: widen a "<3" to "x"
            hidden[primaries[0]] = SECONDARY
        elif published:  # last resort: a zero, too, can hide behind "x"
            hidden[published[0][3]] = SECONDARY
        else:
            raise AssertionError(f"cannot protect {sorted(found, key=str)}")  # all cells "x": cannot happen
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
