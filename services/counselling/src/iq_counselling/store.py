"""The counselling database: contact points, advice sessions (their current state) and the
outbox, written in one transaction."""

from datetime import date

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    MetaData,
    Select,
    String,
    Table,
    Uuid,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from iq_contracts.codes import ContactPointType
from iq_contracts.events import counselling as events
from iq_runtime.bulk_import import imported_records_table
from iq_runtime.database import WriteConnection
from iq_runtime.outbox import outbox_table
from iq_runtime.per_record import per_record
from iq_runtime.recording import RecordingTables
from iq_runtime.unit_of_work import UnitOfWork

from .domain import ContactPoint, SessionOnRecord

metadata = MetaData()

advice_sessions = Table(
    "advice_sessions",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False, unique=True),  # of the events.AdviceGiven that recorded it
    Column("region", String(5), nullable=False, index=True),
    Column("contact_point", String(64), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("session_type", String(20), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("mode", String(20), nullable=False),
    Column("occupation_classification", String(10), nullable=False),
    Column("occupation_code", String(5), nullable=False),
    Column("qualification_country", String(2), nullable=False),
    Column("occupation_regulated", Boolean, nullable=False),
    Column("person_ref", String(64), nullable=False, index=True),
    Column("corrected_at", DateTime(timezone=True), nullable=True),
    Column("retracted_at", DateTime(timezone=True), nullable=True),
    Column("retraction_reason", String(40), nullable=True),
)

contact_points = Table(
    "contact_points",
    metadata,
    Column("region", String(5), primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("type", String(20), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date, nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("retracted_at", DateTime(timezone=True), nullable=True),  # its code stays taken (0005)
)

outbox = outbox_table(metadata)
imported_records = imported_records_table(metadata)


def _session_state(event: events.AdviceGiven | events.AdviceCorrected) -> dict:
    return dict(
        region=event.region.value, contact_point=event.contact_point, occurred_on=event.occurred_on,
        session_type=event.session_type.value, kind=event.kind.value, mode=event.mode.value,
        occupation_classification=event.occupation.classification.value, occupation_code=event.occupation.code,
        qualification_country=event.qualification_country, occupation_regulated=event.occupation_regulated,
        person_ref=event.person_ref,
    )


# The statements of every recording, built once with bound parameters (see `per_record`)
_ADD_SESSION = per_record(insert(advice_sessions))
# locked: a closure and a session at the contact point after its closing day can not both pass
# FOR UPDATE: concurrent commands on one record take turns on PostgreSQL (SQLite's writers always do)
_CONTACT_POINT = per_record(select(contact_points).where(contact_points.c.region == bindparam("region"),
                                                         contact_points.c.code == bindparam("code")).with_for_update())


class AdviceSessions:
    def __init__(self, connection: WriteConnection) -> None:
        self.connection = connection

    async def add(self, event: events.AdviceGiven) -> None:
        await self.connection.execute(_ADD_SESSION, [dict(
            session_id=event.session_id, event_id=event.event_id, recorded_at=event.recorded_at,
            **_session_state(event))])

    async def correct(self, event: events.AdviceCorrected) -> None:
        await self.connection.execute(update(advice_sessions).where(advice_sessions.c.session_id == event.session_id)
                                   .values(corrected_at=event.recorded_at, **_session_state(event)))

    async def retract(self, event: events.AdviceRetracted) -> None:
        await self.connection.execute(update(advice_sessions).where(advice_sessions.c.session_id == event.session_id)
                                   .values(retracted_at=event.recorded_at, retraction_reason=event.reason.value))

    async def get(self, session_id, lock: bool = False) -> dict | None:
        query = select(advice_sessions).where(advice_sessions.c.session_id == session_id)
        row = (await self.connection.execute(query.with_for_update() if lock else query)).mappings().first()
        return None if row is None else dict(row) | {"retracted": row["retracted_at"] is not None}

    async def on_record(self, session_id) -> SessionOnRecord | None:
        """The session as a correction or retraction finds it, locked until the transaction ends.
        FOR UPDATE: concurrent commands on one record take turns on PostgreSQL (SQLite's writers
        always do)."""
        found = await self.get(session_id, lock=True)
        return found and SessionOnRecord(session_id=found["session_id"], region=found["region"],
                                         occurred_on=found["occurred_on"], retracted=found["retracted"])

    async def session_days(self, region: str, contact_point: str) -> tuple[date, date] | None:
        """The first and the last day of the sessions (not retracted) at a contact point."""
        c = advice_sessions.c
        first, last = (await self.connection.execute(select(func.min(c.occurred_on), func.max(c.occurred_on)).where(
            c.region == region, c.contact_point == contact_point, c.retracted_at.is_(None)))).one()
        return None if first is None else (first, last)


class ContactPoints:
    def __init__(self, connection: WriteConnection) -> None:
        self.connection = connection

    async def add(self, event: events.ContactPointOpened) -> None:
        await self.connection.execute(insert(contact_points).values(
            region=event.region.value, code=event.contact_point, type=event.contact_point_type.value,
            opened_on=event.occurred_on, recorded_at=event.recorded_at))

    async def close(self, event: events.ContactPointClosed) -> None:
        await self._update(event, closed_on=event.occurred_on)

    async def correct(self, event: events.ContactPointCorrected) -> None:
        await self._update(event, type=event.contact_point_type.value, opened_on=event.occurred_on,
                           closed_on=event.closed_on)

    async def retract(self, event: events.ContactPointRetracted) -> None:
        await self._update(event, retracted_at=event.recorded_at)

    async def _update(self, event, **values) -> None:
        c = contact_points.c
        await self.connection.execute(update(contact_points).where(
            c.region == event.region.value, c.code == event.contact_point).values(**values))

    async def get(self, region: str, code: str) -> ContactPoint | None:
        row = (await self.connection.execute(_CONTACT_POINT, {"region": region, "code": code})).first()
        return row and ContactPoint(region=row.region, code=row.code, type=ContactPointType(row.type),
                                    opened_on=row.opened_on, closed_on=row.closed_on,
                                    retracted=row.retracted_at is not None)


def contact_point_listing(*, region: str | None, type: str | None, open_on: date | None) -> Select:  # noqa: A002
    c = contact_points.c
    query = select(contact_points).where(c.retracted_at.is_(None))  # retracted: recorded in error
    if region:
        query = query.where(c.region == region)
    if type:
        query = query.where(c.type == type)
    if open_on:
        query = query.where(c.opened_on <= open_on, or_(c.closed_on.is_(None), c.closed_on >= open_on))
    return query


def advice_session_listing(*, occurred_from: date | None, occurred_to: date | None, **equal_to) -> Select:
    """Sessions with `occurred_on` in [from, to] and the given column values (None: any)."""
    c = advice_sessions.c
    query = select(advice_sessions, c.retracted_at.is_not(None).label("retracted"))
    if occurred_from:
        query = query.where(c.occurred_on >= occurred_from)
    if occurred_to:
        query = query.where(c.occurred_on <= occurred_to)
    return query.where(*(c[column] == value for column, value in equal_to.items() if value is not None))


class CounsellingUnitOfWork(UnitOfWork):
    advice_sessions: AdviceSessions
    contact_points: ContactPoints


    def _begin(self, connection: WriteConnection) -> None:
        self.advice_sessions = AdviceSessions(connection)
        self.contact_points = ContactPoints(connection)


tables = RecordingTables(outbox=outbox, imported_records=imported_records, unit_of_work=CounsellingUnitOfWork)
