"""Events -> signed aggregate rows. A batch costs one SELECT of the record states it touches
and one of the rows of the persons it touches, then one upsert per table: the events are
folded in memory, in order.

Versions of a record are ordered by `recorded_at`. In a partition they arrive in that order
(one key, one producer), but a correction or retraction can arrive before its fact (the
fact was dead-lettered and repaired, a partial replay, an import). Then the correction is
the record's state from its own recording day, and the fact, when it comes, counts from
its recording day until the day the first version seen took over: the same rows as if the
events had come in order. A version older than the newest one seen but not older than the
first is stale (both neighbours are already in the figures) and is logged and skipped."""

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from iq_contracts.base import IntegrationEvent
from iq_runtime.context import BERLIN
from iq_runtime.delivery import Delivery

from . import persons, rules
from .store import AGGREGATES, DATE_COLUMNS, GRAINS, person_period_counts, record_states

log = logging.getLogger(__name__)
CHUNK = 500  # keys per IN (...) list, well below every database's parameter limit


@dataclass
class RecordState:
    contribution: list
    facts: rules.Facts
    first_recorded_at: datetime
    last_recorded_at: datetime


class Projector:
    """Applies a batch of new events. A regional reporting instance keeps only its region."""

    def __init__(self, region: str) -> None:
        self.region = region

    async def __call__(self, session: AsyncSession, deliveries: list[Delivery]) -> None:
        events = [d.event for d in deliveries]
        states = await _load(session, {key for event in events for key in rules.records_of(event)})
        deltas: Counter = Counter()
        changed: set[str] = set()
        for event in events:
            keys = rules.records_of(event)
            # a regional instance follows its own records, also when a correction moves one away
            if not self._ours(event) and not any(key in states for key in keys):
                continue
            for key in keys:
                states[key] = apply(states.get(key), event, deltas)
                changed.add(key)
        await self._store(session, deltas, {key: states[key] for key in changed})

    def _ours(self, event: IntegrationEvent) -> bool:
        return self.region in ("national", event.region.value)

    async def _store(self, session: AsyncSession, deltas: Counter, states: dict[str, "RecordState"]) -> None:
        rows = {name: Counter() for name in AGGREGATES}
        for (name, key, day), n in deltas.items():
            columns = AGGREGATES[name][1]
            if n and self.region in ("national", key[columns.index("region")]):
                for row in _rows(name, columns, key, day):
                    rows[name][row] += n
        people = Counter({tuple(value for _, value in row): n for row, n in rows[rules.PERSONS].items() if n})
        counters = await persons.counter_deltas(session, people)  # before the batch's person rows are stored
        # PostgreSQL locks rows: in key order, two consumers of one group never wait for each other
        # in opposite orders (a deadlock); SQLite locks the whole database, so the order is free.
        in_order = sorted if session.bind.dialect.name == "postgresql" else list
        for name, (table, _, amount) in AGGREGATES.items():
            await _upsert(session, table, [dict(row) | {amount: n} for row, n in in_order(rows[name].items()) if n],
                          add=amount)
        await _upsert(session, person_period_counts, [
            dict(zip(("area", "scope", "grain", "period_start", "recorded_on"), key, strict=True)) | {"delta": n}
            for key, n in in_order(counters.items()) if n], add="delta")
        await _upsert(session, record_states, [_state_row(key, states[key]) for key in in_order(states)])


def apply(state: RecordState | None, event: IntegrationEvent, deltas: Counter) -> RecordState:
    """Fold one event into a record's state, adding the signed rows it causes to `deltas`."""
    at, day = event.recorded_at.astimezone(UTC), recorded_on(event.recorded_at)
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
        _add(deltas, earliest, recorded_on(state.first_recorded_at), -1)
        state.first_recorded_at = at
        return state
    log.warning("skipped stale %s %s: recorded %s, before the newest version (%s)",
                type(event).__name__, event.event_id, at, state.last_recorded_at)
    return state


def recorded_on(recorded_at: datetime) -> date:
    """The reference date a record belongs to: its recording day in Germany."""
    return recorded_at.astimezone(BERLIN).date()


def _add(deltas: Counter, contribution: list, day: date, sign: int) -> None:
    for table, key, n in contribution:
        deltas[(table, tuple(key), day)] += sign * n


def _rows(table: str, columns: tuple[str, ...], key: tuple, day: date):
    """The stored rows of one signed contribution row (as hashable (column, value) pairs)."""
    row = tuple((c, date.fromisoformat(v) if c in DATE_COLUMNS else v) for c, v in zip(columns, key, strict=True))
    if table != rules.COUNTS:
        yield (*row, ("recorded_on", day))
        return
    occurred, row = dict(row)["occurred_on"], tuple(pair for pair in row if pair[0] != "occurred_on")
    for occurred_grain, recorded_grain in GRAINS:
        yield (*row, ("occurred_grain", occurred_grain), ("recorded_grain", recorded_grain),
               ("occurred_on", occurred.replace(day=1) if occurred_grain == "m" else occurred),
               ("recorded_on", day.replace(day=1) if recorded_grain == "m" else day))


async def _load(session: AsyncSession, keys: set[str]) -> dict[str, RecordState]:
    t, ordered, states = record_states, sorted(keys), {}
    for i in range(0, len(ordered), CHUNK):
        for row in await session.execute(select(t).where(t.c.record.in_(ordered[i:i + CHUNK]))):
            states[row.record] = RecordState(
                json.loads(row.contribution), json.loads(row.facts) if row.facts else None,
                datetime.fromisoformat(row.first_recorded_at), datetime.fromisoformat(row.last_recorded_at))
    return states


def _state_row(key: str, state: RecordState) -> dict:
    return {"record": key, "contribution": json.dumps(state.contribution, separators=(",", ":")),
            "facts": json.dumps(state.facts) if state.facts else None,
            "first_recorded_at": state.first_recorded_at.isoformat(),
            "last_recorded_at": state.last_recorded_at.isoformat()}


async def _upsert(session: AsyncSession, table, rows: list[dict], add: str | None = None) -> None:
    """One statement for all rows: `add` sums into an amount column, else the row is replaced."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(table)
    if add:
        updates = {add: table.c[add] + insert.excluded[add]}
    else:
        updates = {c.name: insert.excluded[c.name] for c in table.columns if c.name not in keys}
    await session.execute(insert.on_conflict_do_update(index_elements=keys, set_=updates), rows)
