"""HTTP for contact points (permanent and mobile advice centres)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel

from iq_contracts.base import ContactPointCode
from iq_contracts.codes import ContactPointType
from iq_contracts.regions import Region
from iq_runtime.auth import Analyst, Recorder
from iq_runtime.paging import Page, PagingDep, page, visible_to
from iq_runtime.recording import RecordingDep, ensure_may_record, import_route

from . import handlers
from .commands import CloseContactPoint, CorrectContactPoint, OpenContactPoint, RetractContactPoint
from .store import contact_point_listing, contact_points

router = APIRouter(prefix="/v1", tags=["contact points"])


class ContactPointRecorded(BaseModel):
    event_id: str
    region: Region
    code: str
    on: date
    recorded_at: str


def _recorded(event) -> ContactPointRecorded:
    return ContactPointRecorded(event_id=str(event.event_id), region=event.region, code=event.contact_point,
                                on=event.occurred_on, recorded_at=event.recorded_at.isoformat())


@router.post("/contact-points", status_code=status.HTTP_201_CREATED, response_model=ContactPointRecorded,
             summary="register a contact point that opened (ContactPointOpened)")
async def open_contact_point(cmd: OpenContactPoint, principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, cmd.region)
    return _recorded(await handlers.open_contact_point(cmd, recording.unit_of_work(), recording.context))


@router.post("/contact-points/{region}/{code}/closure", response_model=ContactPointRecorded,
             summary="record that a contact point closed (ContactPointClosed)")
async def close_contact_point(region: Region, code: Annotated[ContactPointCode, Path()], cmd: CloseContactPoint,
                              principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, region)
    event = await handlers.close_contact_point(region, code, cmd, recording.unit_of_work(), recording.context)
    return _recorded(event)


@router.post("/contact-points/{region}/{code}/correction", response_model=ContactPointRecorded,
             summary="correct a contact point recorded wrongly: its whole state (ContactPointCorrected)")
async def correct_contact_point(region: Region, code: Annotated[ContactPointCode, Path()], cmd: CorrectContactPoint,
                                principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, region)
    event = await handlers.correct_contact_point(region, code, cmd, recording.unit_of_work(), recording.context)
    return _recorded(event)


@router.post("/contact-points/{region}/{code}/retraction", response_model=ContactPointRecorded,
             summary="withdraw a contact point recorded in error, once none of its sessions stands "
                     "(ContactPointRetracted)")
async def retract_contact_point(region: Region, code: Annotated[ContactPointCode, Path()], cmd: RetractContactPoint,
                                principal: Recorder, recording: RecordingDep):
    ensure_may_record(principal, region)
    event = await handlers.retract_contact_point(region, code, cmd, recording.unit_of_work(), recording.context)
    return _recorded(event)


@router.get("/contact-points", response_model=Page[dict])
async def list_contact_points(principal: Analyst, recording: RecordingDep, paging: PagingDep,
                              region: Region | None = None, type: ContactPointType | None = None,  # noqa: A002
                              open_on: date | None = None):
    query = contact_point_listing(region=region, type=type, open_on=open_on)
    async with recording.unit_of_work() as uow:
        return await page(uow.connection, visible_to(query, contact_points.c.region, principal), paging,
                          contact_points.c.region, contact_points.c.code)


import_route(router, "/contact-points/import", command=OpenContactPoint, apply=handlers.add_contact_point,
             what="contact points")
