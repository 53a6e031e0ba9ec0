"""HTTP: the figures sheet, served from the sheet cache while no batch changed it."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from iq_contracts.regions import Region
from iq_runtime.auth import Analyst
from iq_runtime.context import BERLIN, utc_now
from iq_runtime.errors import Forbidden

from . import sheet_cache
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
    the_period, as_of = parse_period(period, start, end, today), as_of or today
    cache = _cache(request.app.state)
    key = (the_period, as_of, tuple(regions))
    async with request.app.state.runtime.sessions() as session:
        version = await sheet_cache.version(session, the_period, as_of)  # first: see sheet_cache
        body = cache.get(key, version)
        if body is None:
            body = (await sheet(session, the_period, as_of, regions or None)).model_dump_json().encode()
            cache.put(key, version, body)
    # the JSON as built: FastAPI would validate and encode the Sheet again (~2x the work)
    return Response(body, media_type="application/json")


def _cache(state) -> sheet_cache.SheetCache:
    if not hasattr(state, "sheet_cache"):
        state.sheet_cache = sheet_cache.SheetCache()
    return state.sheet_cache
