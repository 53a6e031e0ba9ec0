"""Disclosure control: the public sheet from the exact one (method and symbols: DISCLOSURE.md).

Primary: a count of 1 or 2 is shown as "<3" (0 stays 0). Secondary: further cells are shown
as "x" until an attacker who knows every published number and every published sum cannot pin
any hidden cell to one value: every hidden cell gets a witness, another sheet publishing the
same numbers in which that cell differs (`Cells.witness`). Pure functions, no I/O."""

import copy
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass

from iq_contracts.codes import SUCCESSFUL_OUTCOMES

from .sheet import ESF_ATTRIBUTES

PRIMARY = "<3"  # a count of 1 or 2
SECONDARY = "x"  # hidden so that a "<3" cell cannot be worked out; any count, 0 included
Path = tuple[str | int, ...]

# (parts, total) inside one scope: the national sheet and each region's sheet alike
TABLES: list[tuple[Path, Path]] = [
    (("counselling", "initial_advice_by_kind"), ("counselling", "initial_advice_sessions")),
    (("counselling", "sessions_by_mode"), ("counselling", "initial_advice_sessions")),
    (("training", "schemes_by_format"), ("training", "schemes_started")),
    (("training", "schemes_by_measure_type"), ("training", "schemes_started")),
    (("training", "participants_by_format"), ("training", "participants_commencing")),
    *((("training", "esf", attribute), ("training", "participants_commencing")) for attribute in ESF_ATTRIBUTES),
    (("training", "completions_in_period_by_outcome"), ("training", "completions_in_period")),
    (("fair_integration", "advice_sessions_by_type"), ("fair_integration", "advice_sessions")),
    (("fair_integration", "sessions_by_topic"), ("fair_integration", "advice_sessions")),
]
# top lists and what they add up to when they are complete (a scope with five or fewer)
LISTS: list[tuple[Path, Path]] = [
    (("counselling", "top_occupations"), ("counselling", "initial_advice_sessions")),
    (("counselling", "top_countries"), ("counselling", "initial_advice_sessions")),
    (("training", "top_occupations"), ("training", "participants_commencing")),
]
SUMS: list[tuple[tuple[Path, ...], Path]] = [
    *((tuple(("intercultural_opening", group, part) for part in parts), ("intercultural_opening", group, total))
      for group in ("labour_market", "business")
      for parts, total in ((("trainings", "events", "consultations"), "total_formats"),
                           (("training_participants", "event_participants"), "total_participants"))),
    # the cohort's successful completers, of its completers by outcome
    (tuple(("training", "completers_by_outcome", outcome.value) for outcome in sorted(SUCCESSFUL_OUTCOMES)),
     ("training", "successful_completers")),
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
    scopes = _scopes(tree)
    candidates = []
    for scope in scopes:
        for parts, total in TABLES:
            breakdown = _at(tree, (*scope, *parts))
            keys = list(breakdown) if isinstance(breakdown, dict) else []
            candidates.append(Sum((*scope, *total), tuple((*scope, *parts, key) for key in keys)))
        candidates += [Sum((*scope, *total), tuple((*scope, *p) for p in parts)) for parts, total in SUMS]
        candidates += [Sum((*scope, *total), tuple(_entry_paths(tree, (*scope, *entries)).values()))
                       for entries, total in LISTS]
    regions = scopes[1:]
    for path, _ in counts({k: v for k, v in tree.items() if k != "by_region"}):
        if all(not isinstance(step, int) for step in path):  # the top lists: by entry, below
            candidates.append(Sum(path, tuple((*region, *path) for region in regions)))
    for entries, _ in LISTS:  # an entry of the sheet's list = the regions' entries of that code
        entry_paths = {scope: _entry_paths(tree, (*scope, *entries)) for scope in scopes}
        for code, path in entry_paths[()].items():
            candidates.append(Sum(path, tuple(entry_paths[region][code] for region in regions
                                              if code in entry_paths[region])))
    return [s for s in candidates if s.parts and all(p in values for p in (s.total, *s.parts))
            and values[s.total] == sum(values[p] for p in s.parts)]


def _scopes(tree: dict) -> list[Path]:
    """The sheet's own scope and each region's, as paths into the tree."""
    return [()] + [("by_region", region) for region in tree.get("by_region", {})]


def _entry_paths(tree, path: Path) -> dict[tuple, Path]:
    """The count of each entry of a top list, by the entry's code."""
    listed = _at(tree, path)
    return {(entry.get("classification"), entry.get("code")): (*path, i, "count")
            for i, entry in enumerate(listed if isinstance(listed, list) else [])}


def _at(tree, path: Path):
    for step in path:
        try:
            tree = tree[step]
        except (KeyError, IndexError, TypeError):
            return None
    return tree


class Cells:
    """The hidden cells of a sheet and the sums they are in, with the moves an attacker must allow:
    a "<3" is 1 or 2, an "x" any count >= 0, a published cell is fixed."""

    def __init__(self, values: dict[Path, int], identities: list[Sum]) -> None:
        self.values = values
        self.hidden: dict[Path, str] = {p: PRIMARY for p, v in values.items() if v in (1, 2)}
        self.members = [[(s.total, -1)] + [(p, 1) for p in s.parts] for s in identities]
        self.sums_of: dict[Path, list[tuple[int, int]]] = defaultdict(list)
        for i, terms in enumerate(self.members):
            for p, sign in terms:
                self.sums_of[p].append((i, sign))

    def moves(self, p: Path) -> tuple[int, ...]:
        """The steps of one a hidden cell can take and still fit its symbol."""
        v, symbol = self.values[p], self.hidden.get(p)
        if symbol is None:
            return ()
        return tuple(step for step in (1, -1) if (1 <= v + step <= 2 if symbol == PRIMARY else v + step >= 0))

    def hide(self, candidates: list[Path]) -> bool:
        """Hide one more cell of `candidates`: the smallest published non-zero count (it costs
        readers least), else widen a "<3" to "x", else a zero. False when all are "x" already."""
        published = sorted((self.values[q] == 0, self.values[q], str(q), q) for q in candidates if q not in self.hidden)
        primaries = sorted((str(q), q) for q in candidates if self.hidden.get(q) == PRIMARY)
        if published and published[0][1] > 0:
            self.hidden[published[0][3]] = SECONDARY
        elif primaries:
            self.hidden[primaries[0][1]] = SECONDARY
        elif published:
            self.hidden[published[0][3]] = SECONDARY
        else:
            return False
        return True

    def locally_open(self, i: int) -> bool:
        """A sum that alone pins one of its hidden cells: a hidden cell with no other hidden
        cell in the sum to trade a step with (the other way round, or the same way across "=")."""
        terms = [(p, sign, self.moves(p)) for p, sign in self.members[i] if p in self.hidden]
        return any(not any(q != p and any(-sign * step * other_sign in moves_q for step in moves_p)
                           for q, other_sign, moves_q in terms)
                   for p, sign, moves_p in terms)

    def witness(self, start: Path, budget: int = 400) -> dict[Path, int] | None:
        """Another sheet that publishes the same numbers, as steps of +-1 from the true counts,
        in which `start` differs: proof that `start` cannot be worked out. Depth-first: each
        step unbalances the sums of its cell, and the next step rebalances one of them."""
        steps: dict[Path, int] = {}
        imbalance: dict[int, int] = defaultdict(int)

        def take(p: Path, step: int) -> None:
            steps[p] = step
            for i, sign in self.sums_of[p]:
                imbalance[i] += sign * step

        def undo(p: Path) -> None:
            for i, sign in self.sums_of[p]:
                imbalance[i] -= sign * steps[p]
            del steps[p]

        def options(i: int) -> list[tuple[Path, int]]:
            want = -1 if imbalance[i] > 0 else 1
            return [(q, step) for q, sign in self.members[i] if q in self.hidden and q not in steps
                    for step in self.moves(q) if sign * step == want]

        def search() -> bool:
            nonlocal budget
            unbalanced = [i for i, b in imbalance.items() if b]
            if not unbalanced:
                return True
            budget -= 1
            if budget < 0:
                return False
            # the sum with the fewest ways to rebalance it first: a dead end shows at once
            choices = min((options(i) for i in unbalanced), key=len)
            # closing a loop first: a step that also rebalances another of its cell's sums
            choices.sort(key=lambda o: -sum(1 for j, s in self.sums_of[o[0]] if imbalance[j] * s * o[1] < 0))
            for q, step in choices:
                take(q, step)
                if search():
                    return True
                undo(q)
            return False

        for step in self.moves(start):
            take(start, step)
            if search():
                return steps
            undo(start)
        return None


def suppress(values: dict[Path, int], identities: list[Sum]) -> dict[Path, str]:
    """Which cells to hide, and how: small cells; then, sum by sum, a second hidden cell
    wherever one could be worked out from that sum alone (to a fixpoint); then, for every
    hidden cell, a witness sheet in which it differs, hiding more around a cell without one."""
    cells = Cells(values, identities)
    queue = deque(i for p in cells.hidden for i, _ in cells.sums_of[p])
    while queue:
        i = queue.popleft()
        if cells.locally_open(i):
            before = set(cells.hidden)
            cells.hide([p for p, _ in cells.members[i]])
            queue.extend(j for p in set(cells.hidden) - before for j, _ in cells.sums_of[p])
            queue.append(i)
    proven: set[Path] = set()
    unproven = deque(p for p in cells.hidden if cells.sums_of[p])
    while unproven:
        p = unproven.popleft()
        if p in proven:
            continue
        if (steps := cells.witness(p)) is not None:
            proven |= steps.keys()  # every cell that moved in the witness differs in it
            continue
        before = set(cells.hidden)
        if not _widen(cells, p):
            raise AssertionError(f"cannot protect {p}")  # every linked cell is "x": cannot happen
        unproven.extend(set(cells.hidden) - before)
        unproven.append(p)
    return cells.hidden


def _widen(cells: Cells, p: Path) -> bool:
    """Hide one more cell near `p`: in its sums, else in the sums of their hidden cells."""
    ring = {p}
    for _ in range(len(cells.members)):
        linked = {q for r in ring for i, _ in cells.sums_of[r] for q, _ in cells.members[i]}
        if cells.hide(sorted(linked, key=str)):
            return True
        if linked <= ring:
            return False
        ring = linked
    return False


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
    for scope in _scopes(exact):
        for entries, _ in LISTS:
            if isinstance(listed := _at(public, (*scope, *entries)), list):
                listed.sort(key=_unranked)
    public["disclosure"] = {"primary": PRIMARY, "secondary": SECONDARY, "method": "see DISCLOSURE.md",
                            "suppressed": len(hidden)}
    return public


def _unranked(entry: dict) -> tuple[bool, str]:
    """Hidden entries of a top list last, by code: in the list's order by count, their places
    would bound them by their published neighbours (between two 3s, an "x" is a 3)."""
    hidden = isinstance(entry.get("count"), str)
    return hidden, str(entry.get("code")) if hidden else ""


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
