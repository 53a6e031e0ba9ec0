"""The figures sheet: sums over the daily aggregates for a period, a scope and `as_of`."""

from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from iq_contracts.codes import AdviceKind, SessionType

from .periods import Period
from .store import advice_sessions_daily


class CounsellingFigures(BaseModel):
    initial_advice_sessions: int = 0
    initial_advice_by_kind: dict[str, int] = {kind.value: 0 for kind in AdviceKind}
    sessions_by_mode: dict[str, int] = {}


class RegionFigures(BaseModel):
    counselling: CounsellingFigures


class Sheet(BaseModel):
    period: dict[str, date]
    as_of: date
    scope: list[str]
    counselling: CounsellingFigures
    by_region: dict[str, RegionFigures]


async def sheet(session: AsyncSession, period: Period, as_of: date, regions: list[str] | None) -> Sheet:
    t = advice_sessions_daily
    query = (
        select(t.c.region, t.c.kind, t.c.mode, func.sum(t.c.sessions))
        .where(t.c.occurred_on.between(period.start, period.end), t.c.recorded_on <= as_of,
               t.c.session_type == SessionType.INITIAL.value)
        .group_by(t.c.region, t.c.kind, t.c.mode)
    )
    if regions:
        query = query.where(t.c.region.in_(regions))
    total = CounsellingFigures()
    by_region: dict[str, CounsellingFigures] = {}
    for region, kind, mode, sessions in await session.execute(query):
        for figures in (total, by_region.setdefault(region, CounsellingFigures())):
            figures.initial_advice_sessions += sessions
            figures.initial_advice_by_kind[kind] += sessions
            figures.sessions_by_mode[mode] = figures.sessions_by_mode.get(mode, 0) + sessions
    return Sheet(
        period={"from": period.start, "to": period.end}, as_of=as_of,
        scope=regions or ["national"], counselling=total,
        by_region={region: RegionFigures(counselling=f) for region, f in sorted(by_region.items())},
    )
