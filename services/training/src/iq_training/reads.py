"""HTTP for reading: schemes and enrolments with filters and paging, for the region's staff
(national staff see every region). Retracted records are left out unless asked for."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from iq_contracts.codes import CompletionOutcome, MeasureType, SchemeFormat
from iq_contracts.regions import Region
from iq_runtime.auth import Analyst
from iq_runtime.errors import NotFound, Rejected
from iq_runtime.paging import Page, PagingDep, page, visible_to
from iq_runtime.recording import RecordingDep

from .store import enrolments, schemes

router = APIRouter(prefix="/v1", tags=["training"])


def _between(query, column, since: date | None, until: date | None, field: str):
    if since and until and until < since:
        raise Rejected(field, f"{until} is before {since}")
    if since:
        query = query.where(column >= since)
    return query.where(column <= until) if until else query


def _participants():
    current = (enrolments.c.scheme_id == schemes.c.scheme_id) & enrolments.c.retracted_at.is_(None)
    return select(func.count()).where(current).scalar_subquery().label("participants")


@router.get("/schemes", response_model=Page[dict])
async def list_schemes(
    principal: Analyst, recording: RecordingDep, paging: PagingDep,
    region: Region | None = None, format: SchemeFormat | None = None,  # noqa: A002
    measure_type: MeasureType | None = None,
    starts_from: Annotated[date | None, Query(description="started on or after")] = None,
    starts_until: Annotated[date | None, Query(description="started on or before")] = None,
    include_retracted: bool = False,
):
    query = visible_to(select(schemes, _participants()), schemes.c.region, principal)
    query = _between(query, schemes.c.starts_on, starts_from, starts_until, "starts_until")
    for column, value in ((schemes.c.region, region), (schemes.c.format, format),
                          (schemes.c.measure_type, measure_type)):
        if value is not None:
            query = query.where(column == value.value)
    if not include_retracted:
        query = query.where(schemes.c.retracted_at.is_(None))
    async with recording.unit_of_work() as uow:
        return await page(uow.connection, query, paging, schemes.c.starts_on, schemes.c.scheme_id)


@router.get("/schemes/{scheme_id}")
async def get_scheme(scheme_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await _one(recording, principal, select(schemes, _participants()).where(schemes.c.scheme_id == scheme_id),
                      "scheme_id", f"no scheme {scheme_id} in your region")


@router.get("/enrolments", response_model=Page[dict])
async def list_enrolments(
    principal: Analyst, recording: RecordingDep, paging: PagingDep,
    scheme_id: UUID | None = None, region: Region | None = None,
    started_from: Annotated[date | None, Query(description="commenced on or after")] = None,
    started_until: Annotated[date | None, Query(description="commenced on or before")] = None,
    completed: Annotated[bool | None, Query(description="only completed (true) or open (false) enrolments")] = None,
    outcome: CompletionOutcome | None = None,
    include_retracted: bool = False,
):
    query = visible_to(select(enrolments), enrolments.c.region, principal)
    query = _between(query, enrolments.c.started_on, started_from, started_until, "started_until")
    if scheme_id is not None:
        query = query.where(enrolments.c.scheme_id == scheme_id)
    if region is not None:
        query = query.where(enrolments.c.region == region.value)
    if completed is not None:
        done = enrolments.c.completed_on
        query = query.where(done.is_not(None) if completed else done.is_(None))
    if outcome is not None:
        query = query.where(enrolments.c.outcome == outcome.value)
    if not include_retracted:
        query = query.where(enrolments.c.retracted_at.is_(None))
    async with recording.unit_of_work() as uow:
        return await page(uow.connection, query, paging, enrolments.c.started_on, enrolments.c.enrolment_id)


@router.get("/enrolments/{enrolment_id}")
async def get_enrolment(enrolment_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await _one(recording, principal, select(enrolments).where(enrolments.c.enrolment_id == enrolment_id),
                      "enrolment_id", f"no enrolment {enrolment_id} in your region")


async def _one(recording, principal, query, field: str, missing: str) -> dict:
    async with recording.unit_of_work() as uow:
        found = (await uow.connection.execute(query)).mappings().first()
    if found is None or not principal.may_see(found["region"]):
        raise NotFound(field, missing)
    return dict(found)
