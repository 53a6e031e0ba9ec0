"""Events -> signed aggregate rows. Events are folded in memory, in order, over a window of
batches (one SELECT per batch of the record states it touches); the window then costs one
SELECT of the rows of the persons it touches and one upsert per table.

Versions of a record are ordered by `recorded_at`. In a partition they arrive in that order
(one key, one producer), but a correction or retraction can arrive before its fact (the
fact was dead-lettered and repaired, a partial replay, an import). Then the correction is
the record's state from its own recording day, and the fact, when it comes, counts from
its recording day until the day the first version seen took over: the same rows as if the
events had come in order (except for a contact point whose closing came first: the closing of
an unknown contact point counts nothing). A version older than the newest one seen but not
older than the first is stale and is logged and skipped: its own interval, up to the next
version's recording day, keeps the version before it (README.md, "Out of order")."""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic_core import from_json, to_json
from sqlalchemy.ext.asyncio import AsyncSession

from iq_contracts.base import IntegrationEvent
from iq_runtime.context import BERLIN
from iq_runtime.delivery import Delivery

from . import bulk, grains, persons, rules
from .store import distinct_persons, person_period_counts, record_states

log = logging.getLogger(__name__)
STATE_COLUMNS = ("record", "contribution", "facts", "first_recorded_at", "last_recorded_at")


@dataclass
class RecordState:
    contribution: list
    facts: rules.Facts
    first_recorded_at: datetime
    last_recorded_at: datetime


class Projector:
    """Folds batches of new events into a pending window and writes the window's rows in one
    go (`flush`), in the caller's transaction. Rows of the same key merge over the whole
    window, so a longer window writes fewer rows per event. A regional reporting instance
    keeps only its region."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.discard()

    def discard(self) -> None:
        """Forget the pending window (its transaction was rolled back)."""
        # {(table, key, recorded_on): n}; a plain dict, see grains.stored_rows
        self._deltas: dict = {}
        self._states: dict[str, RecordState] = {}  # every record the window has read
        self._changed: set[str] = set()

    async def __call__(self, session: AsyncSession, deliveries: list[Delivery]) -> None:
        """One batch, one write: fold and flush."""
        await self.fold(session, deliveries)
        await self.flush(session)

    async def fold(self, session: AsyncSession, deliveries: list[Delivery]) -> None:
        events = [(d.event, rules.records_of(d.event)) for d in deliveries]
        states = self._states
        states |= await _load(session, {key for _, keys in events for key in keys if key not in states})
        for event, keys in events:
            # a regional instance follows its own records, also when a correction moves one away
            if not self._ours(event) and not any(key in states for key in keys):
                continue
            for key in keys:
                states[key] = apply(states.get(key), event, self._deltas)
                self._changed.add(key)

    async def flush(self, session: AsyncSession) -> None:
        deltas, states = self._deltas, {key: self._states[key] for key in self._changed}
        self.discard()
        rows = grains.stored_rows(deltas, self.region)
        # before the window's person rows are stored: the counters compare before and after
        rows[person_period_counts] = await persons.counter_deltas(session, rows[distinct_persons])
        rows |= grains.derived(rows)
        for table, merged in rows.items():
            columns = tuple(c.name for c in table.columns)
            await bulk.upsert(session, table, columns,
                              [(*key, n) for key, n in sorted(merged.items(), key=_joined) if n], add=columns[-1])
        await bulk.upsert(session, record_states, STATE_COLUMNS,
                          [_state_row(key, states[key]) for key in sorted(states)])

    def _ours(self, event: IntegrationEvent) -> bool:
        return self.region in ("national", event.region.value)


def apply(state: RecordState | None, event: IntegrationEvent, deltas: dict) -> RecordState:
    """Fold one event into a record's state, adding the signed rows it causes to `deltas`."""
    at, day = event.recorded_at.astimezone(UTC), recorded_on(event.recorded_at).isoformat()
    if state is None or at >= state.last_recorded_at:
        facts, contribution = rules.transition(event, state.facts if state else None)
        if state is not None:
            _add(deltas, state.contribution, day, -1)
        _add(deltas, contribution, day, +1)
        first = state.first_recorded_at if state else at
        return RecordState(contribution, facts, first, at)
    if at < state.first_recorded_at:
        _, earliest = rules.transition(event, None)
        _add(deltas, earliest, day, +1)
        _add(deltas, earliest, recorded_on(state.first_recorded_at).isoformat(), -1)
        state.first_recorded_at = at
        return state
    log.warning("skipped stale %s %s: recorded %s, before the newest version (%s)",
                type(event).__name__, event.event_id, at, state.last_recorded_at)
    return state


def recorded_on(recorded_at: datetime) -> date:
    """The reference date a record belongs to: its recording day in Germany."""
    return recorded_at.astimezone(BERLIN).date()


def _add(deltas: dict, contribution: list, day: str, sign: int) -> None:
    for table, key, n in contribution:
        row = (table, tuple(key), day)
        deltas[row] = deltas.get(row, 0) + sign * n


async def _load(session: AsyncSession, keys: set[str]) -> dict[str, RecordState]:
    states = {}
    for record, contribution, facts, first, last in await bulk.select_in(
            session, f"SELECT {', '.join(STATE_COLUMNS)} FROM record_states WHERE record IN ({{}})", sorted(keys)):
        states[record] = RecordState(from_json(contribution), from_json(facts) if facts else None,
                                     datetime.fromisoformat(first), datetime.fromisoformat(last))
    return states


def _joined(item: tuple) -> str:
    """A row's sort key. Rows are written in one fixed order of their keys: on SQLite
    neighbouring upserts then touch the same B-tree pages (~40 % faster than random order);
    on PostgreSQL, which locks rows, two consumers of one group never wait for each other in
    opposite orders (a deadlock). Joined strings sort ~5x faster than tuples."""
    return "\x1f".join(item[0])


def _state_row(key: str, state: RecordState) -> tuple:
    # pydantic-core's JSON: the same compact text as json.dumps, ~7x faster
    return (key, to_json(state.contribution).decode(), to_json(state.facts).decode() if state.facts else None,
            state.first_recorded_at.isoformat(), state.last_recorded_at.isoformat())
