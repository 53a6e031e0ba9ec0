"""Events -> aggregate deltas. A batch becomes one upsert per table, adding its counts."""

from collections import Counter

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from iq_contracts.events import counselling
from iq_runtime.context import BERLIN
from iq_runtime.delivery import Delivery

from .store import advice_sessions_daily


class Projector:
    """Applies a batch of new events. A regional reporting instance keeps only its region."""

    def __init__(self, region: str) -> None:
        self.region = region

    async def __call__(self, session: AsyncSession, deliveries: list[Delivery]) -> None:
        sessions: Counter = Counter()
        for delivery in deliveries:
            event = delivery.event
            if self.region != "national" and event.region != self.region:
                continue
            if isinstance(event, counselling.AdviceGiven):
                recorded_on = event.recorded_at.astimezone(BERLIN).date()
                sessions[(event.region.value, event.occurred_on, recorded_on,
                          event.session_type.value, event.kind.value, event.mode.value)] += 1
        await _add(session, advice_sessions_daily, "sessions", sessions)


async def _add(session: AsyncSession, table, measure: str, deltas: Counter) -> None:
    if not deltas:
        return
    keys = [c.name for c in table.primary_key.columns]
    insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(table)
    statement = insert.on_conflict_do_update(
        index_elements=keys, set_={measure: table.c[measure] + insert.excluded[measure]}
    )
    await session.execute(statement, [dict(zip(keys, key, strict=True)) | {measure: n} for key, n in deltas.items()])
