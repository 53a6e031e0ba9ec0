"""HTTP: the figures sheet to publish and to read — public JSON, CSV and the HTML page.

Public routes need no token and serve only the disclosure-controlled sheet. The exact CSV and
page need an analyst token; a browser cannot send a header from an address bar, so the page
(and only the page) also takes the token as `?token=`."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from iq_contracts.regions import Region
from iq_runtime.auth import Analyst, Principal, Role, read_token
from iq_runtime.context import BERLIN, utc_now
from iq_runtime.errors import Forbidden

from . import disclosure, sheet_csv, sheet_page
from .figures import sheet
from .periods import Period, parse_period

router = APIRouter(prefix="/v1", tags=["figures: publishing"])


@dataclass(frozen=True)
class SheetQuery:
    period: Period
    as_of: date
    regions: list[str]


def sheet_query(
    period: Annotated[str | None, Query(description="2019, 2019-Q3 or 2019-05")] = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    as_of: Annotated[date | None, Query(description="reference date (default: today)")] = None,
    region: Annotated[list[Region] | None, Query(description="repeatable; absent = national")] = None,
) -> SheetQuery:
    today = utc_now().astimezone(BERLIN).date()
    return SheetQuery(parse_period(period, start, end, today), as_of or today, sorted({r.value for r in region or []}))


Query_ = Annotated[SheetQuery, Depends(sheet_query)]


def page_analyst(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))],
    token: Annotated[str | None, Query(description="analyst token, for a browser's address bar")] = None,
) -> Principal:
    raw = credentials.credentials if credentials else token
    if not raw:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a token is required: Authorization: Bearer ... or ?token=",
                            headers={"WWW-Authenticate": "Bearer"})
    principal = read_token(request.app.state.settings.auth_secret.get_secret_value(), raw)
    if principal.role not in (Role.ANALYST, Role.ADMIN):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {principal.role.value} may not do this")
    return principal


async def exact(request: Request, query: SheetQuery, principal: Principal | None) -> dict:
    """The exact sheet as JSON; `principal` None means it is for publishing, all regions allowed."""
    for code in query.regions or ["national"]:
        if principal is not None and not principal.may_see(code):
            raise Forbidden("region", f"your token reads {principal.region} only; ask for region={principal.region}")
    async with request.app.state.runtime.sessions() as session:
        figures = await sheet(session, query.period, query.as_of, query.regions or None)
    return figures.model_dump(mode="json", by_alias=True)


def csv_response(tree: dict, public: bool) -> Response:
    disposition = f'attachment; filename="{sheet_csv.filename(tree, public)}"'
    return Response(sheet_csv.to_csv(tree), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})


@router.get("/public/figures", summary="the public sheet: small counts suppressed (see DISCLOSURE.md)")
async def public_figures(request: Request, query: Query_) -> dict:
    return disclosure.public_sheet(await exact(request, query, None))


@router.get("/public/figures.csv", response_class=Response, summary="the public sheet as CSV")
async def public_figures_csv(request: Request, query: Query_) -> Response:
    return csv_response(disclosure.public_sheet(await exact(request, query, None)), public=True)


@router.get("/figures.csv", response_class=Response, summary="the exact sheet as CSV (analysts)")
async def figures_csv(request: Request, query: Query_, principal: Analyst) -> Response:
    return csv_response(await exact(request, query, principal), public=False)


@router.get("/public/figures/page", response_class=HTMLResponse, summary="the public sheet to read")
async def public_page(request: Request, query: Query_) -> HTMLResponse:
    return HTMLResponse(sheet_page.render(disclosure.public_sheet(await exact(request, query, None)), public=True))


@router.get("/figures/page", response_class=HTMLResponse,
            summary="the exact sheet to read (analysts; token as bearer header or ?token=)")
async def figures_page(request: Request, query: Query_, principal: Annotated[Principal, Depends(page_analyst)]):
    page = sheet_page.render(await exact(request, query, principal), public=False)
    # the token may be in the address: keep the page out of caches and referrers
    return HTMLResponse(page, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
