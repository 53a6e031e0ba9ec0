"""HTTP: the figures sheet."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from iq_contracts.regions import Region
from iq_runtime.auth import Analyst
from iq_runtime.context import BERLIN, utc_now
from iq_runtime.errors import Forbidden

from .figures import sheet
from .periods import parse_period
from .sheet import Sheet

router = APIRouter(prefix="/v1", tags=["figures"])


@router.get("/figures", response_model=Sheet)
async def get_figures(
    request: Request,
    principal: Analyst,
    period: Annotated[str | None, Query(description="2019, 2019-Q3 or 2019-05")] = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    as_of: Annotated[date | None, Query(
        description="reference date: counts what was recorded by its end, Europe/Berlin (default: today)")] = None,
    region: Annotated[list[Region] | None, Query(description="repeatable; absent = national")] = None,
) -> Sheet:
    today = utc_now().astimezone(BERLIN).date()
    regions = sorted({r.value for r in region or []})
    for code in regions or ["national"]:
        if not principal.may_see(code):
            raise Forbidden("region", f"your token reads {principal.region} only; ask for region={principal.region}")
    async with request.app.state.runtime.sessions() as session:
        return await sheet(session, parse_period(period, start, end, today), as_of or today, regions or None)
