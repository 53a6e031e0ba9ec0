"""The read side of the API: filters, paging and region visibility over the current-state
rows, and the receipt a write answers with."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Query

from iq_contracts.regions import Region
from iq_runtime.auth import Principal
from iq_runtime.errors import NotFound, Rejected
from iq_runtime.paging import Page, page, visible_to

from .store import as_record

Since = Annotated[date | None, Query(alias="from", description="on or after this day")]
Until = Annotated[date | None, Query(alias="to", description="on or before this day")]
InRegion = Annotated[Region | None, Query(description="only this region (national staff)")]


def receipt(model, event):
    return model.model_validate(event.model_dump() | {"event_type": type(event).__name__})


async def listing(recording, principal: Principal, records: str, paging, *, since, until, **filters) -> Page[dict]:
    if since and until and until < since:
        raise Rejected("to", f"{until} is before from={since}")
    async with recording.unit_of_work() as uow:
        repository = getattr(uow, records)
        query = visible_to(repository.listing(since=since, until=until, **filters), repository.table.c.region,
                           principal)
        found = await page(uow.connection, query, paging, *repository.order())
    return found.model_copy(update={"items": [as_record(item) for item in found.items]})


async def one(recording, principal: Principal, records: str, record_id: UUID, what: str) -> dict:
    async with recording.unit_of_work() as uow:
        found = await getattr(uow, records).get(record_id)
    if found is None or not principal.may_see(found["region"]):
        raise NotFound("id", f"no {what} {record_id} in your region")
    return found
