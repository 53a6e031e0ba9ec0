"""HTTP for reading: the current state of the records, filtered and paged. Analysts read
(regional analysts their region); recorders may list organisations to find their ids."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Table, select

from iq_contracts.codes import EventFormat, OpeningTopic, StakeholderGroup, StakeholderType
from iq_contracts.regions import Region
from iq_runtime.auth import Analyst, Principal, Role, require
from iq_runtime.errors import NotFound
from iq_runtime.paging import Page, PagingDep, page, visible_to
from iq_runtime.recording import RecordingDep

from .store import activities, consultations, organisations

router = APIRouter(prefix="/v1")
Staff = Annotated[Principal, Depends(require(Role.RECORDER, Role.ANALYST))]


class Held:
    """The filters activities and consultations share."""

    def __init__(self, from_: Annotated[date | None, Query(alias="from", description="held on or after")] = None,
                 to: Annotated[date | None, Query(description="held on or before")] = None,
                 region: Region | None = None, target_group: StakeholderGroup | None = None,
                 topic: OpeningTopic | None = None,
                 retracted: Annotated[bool, Query(description="include retracted records")] = False) -> None:
        self.values = {"region": region, "target_group": target_group, "topic": topic}
        self.from_, self.to, self.retracted = from_, to, retracted

    def where(self, table: Table, **more):
        query = select(table)
        for name, value in (self.values | more).items():
            if value is not None:
                query = query.where(table.c[name] == value)
        if self.from_:
            query = query.where(table.c.occurred_on >= self.from_)
        if self.to:
            query = query.where(table.c.occurred_on <= self.to)
        return query if self.retracted else query.where(table.c.retracted_at.is_(None))


async def _page(recording, query, table: Table, principal: Principal, paging, *order_by) -> Page[dict]:
    async with recording.unit_of_work() as uow:
        return await page(uow.connection, visible_to(query, table.c.region, principal), paging, *order_by)


async def _one(recording, table: Table, key: str, record_id: UUID, principal: Principal, what: str) -> dict:
    async with recording.unit_of_work() as uow:
        row = (await uow.connection.execute(select(table).where(table.c[key] == record_id))).mappings().first()
    if row is None or not principal.may_see(row["region"]):
        raise NotFound(key, f"no {what} {record_id} in your region")
    return dict(row)


@router.get("/organisations", tags=["organisations"])
async def list_organisations(principal: Staff, recording: RecordingDep, paging: PagingDep,
                             region: Region | None = None, type: StakeholderType | None = None,  # noqa: A002
                             group: StakeholderGroup | None = None, code: str | None = None) -> Page[dict]:
    query = select(organisations)
    for column, value in (("region", region), ("type", type), ("target_group", group), ("code", code)):
        if value is not None:
            query = query.where(organisations.c[column] == value)
    return await _page(recording, query, organisations, principal, paging,
                       organisations.c.region, organisations.c.code)


@router.get("/organisations/{organisation_id}", tags=["organisations"])
async def get_organisation(organisation_id: UUID, principal: Staff, recording: RecordingDep) -> dict:
    return await _one(recording, organisations, "organisation_id", organisation_id, principal, "organisation")


@router.get("/activities", tags=["trainings and events"])
async def list_activities(principal: Analyst, recording: RecordingDep, paging: PagingDep,
                          held: Annotated[Held, Depends()], format: EventFormat | None = None,  # noqa: A002
                          ) -> Page[dict]:
    return await _page(recording, held.where(activities, format=format), activities, principal, paging,
                       activities.c.occurred_on, activities.c.activity_id)


@router.get("/activities/{activity_id}", tags=["trainings and events"])
async def get_activity(activity_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await _one(recording, activities, "activity_id", activity_id, principal, "activity")


@router.get("/consultations", tags=["consultations"])
async def list_consultations(principal: Analyst, recording: RecordingDep, paging: PagingDep,
                             held: Annotated[Held, Depends()], organisation_id: UUID | None = None,
                             organisation_type: StakeholderType | None = None) -> Page[dict]:
    query = held.where(consultations, organisation_id=organisation_id, organisation_type=organisation_type)
    return await _page(recording, query, consultations, principal, paging,
                       consultations.c.occurred_on, consultations.c.consultation_id)


@router.get("/consultations/{consultation_id}", tags=["consultations"])
async def get_consultation(consultation_id: UUID, principal: Analyst, recording: RecordingDep) -> dict:
    return await _one(recording, consultations, "consultation_id", consultation_id, principal, "consultation")
