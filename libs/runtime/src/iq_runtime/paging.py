"""Listing records for a region's own staff: filters, a stable order and offset paging."""

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select

from .auth import Principal
from .database import WriteConnection

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int


class Paging(BaseModel):
    limit: int
    offset: int


def _paging(limit: Annotated[int, Query(ge=1, le=500, description="records per page")] = 50,
            offset: Annotated[int, Query(ge=0, description="records to skip")] = 0) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(_paging)]


def visible_to(query: Select, region_column, principal: Principal) -> Select:
    """Regional staff see their own region's records; national staff see all."""
    return query if principal.national else query.where(region_column == principal.region)


async def page(connection: WriteConnection, query: Select, paging: Paging, *order_by) -> Page[dict]:
    """One page of `query` (already filtered) in `order_by` order, with the total count."""
    total = await connection.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await connection.execute(query.order_by(*order_by).limit(paging.limit).offset(paging.offset))
    return Page[dict](items=[dict(row) for row in rows.mappings()], total=total, limit=paging.limit,
                      offset=paging.offset)
