"""The Fair Integration database: the current state of each record and the outbox, in one
transaction. History lives in the events; a correction or retraction updates the row."""

from datetime import date

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, Select, String, Table, Uuid, insert, literal, select
from sqlalchemy import update as sql_update

from iq_contracts.base import IntegrationEvent, Retraction
from iq_contracts.events.fair_integration import AdviceCorrected, AdviceGiven, EventCorrected, EventHeld
from iq_runtime.bulk_import import imported_records_table
from iq_runtime.database import WriteConnection
from iq_runtime.outbox import outbox_table
from iq_runtime.recording import RecordingTables
from iq_runtime.unit_of_work import UnitOfWork

from .domain import Recorded

metadata = MetaData()


def _status_columns() -> list[Column]:
    return [Column("recorded_at", DateTime(timezone=True), nullable=False),
            Column("corrected_at", DateTime(timezone=True)),
            Column("retracted_at", DateTime(timezone=True)),
            Column("retraction_reason", String(30))]


advice_sessions = Table(
    "advice_sessions", metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("region", String(5), nullable=False, index=True),
    Column("occurred_on", Date, nullable=False, index=True),
    Column("session_type", String(20), nullable=False),
    Column("topics", String(300), nullable=False),  # codes joined by ';', sorted
    Column("residence_status", String(30), nullable=False),
    Column("citizenship", String(2), nullable=False),  # never published
    Column("person_ref", String(64), nullable=False, index=True),
    *_status_columns(),
)

group_events = Table(
    "group_events", metadata,
    Column("activity_id", Uuid, primary_key=True),
    Column("region", String(5), nullable=False, index=True),
    Column("held_on", Date, nullable=False, index=True),
    Column("topics", String(300), nullable=False),
    Column("participants", Integer, nullable=False),
    *_status_columns(),
)

referrals = Table(
    "referrals", metadata,
    Column("referral_id", Uuid, primary_key=True),
    Column("region", String(5), nullable=False, index=True),
    Column("occurred_on", Date, nullable=False, index=True),
    Column("citizenship", String(2), nullable=False),
    Column("person_ref", String(64), nullable=False, index=True),
    *_status_columns(),
)

outbox = outbox_table(metadata)
imported_records = imported_records_table(metadata)


def _topics(topics) -> str:
    return ";".join(sorted(topics))


def as_record(row) -> dict:
    """A row as the read API shows it: topics as a list, retracted as a flag."""
    record = dict(row)
    if "topics" in record:
        record["topics"] = record["topics"].split(";")
    record["retracted"] = record["retracted_at"] is not None
    return record


class _Records:
    table: Table
    key: str
    day: str  # the column with the activity's date

    def __init__(self, connection: WriteConnection) -> None:
        self.connection = connection

    async def recorded(self, record_id) -> Recorded | None:
        """The record, locked until the transaction ends: a no-op UPDATE takes the row lock on
        PostgreSQL (two retractions cannot both pass) and SQLite's write lock before reading
        (a read first could not be upgraded once the relay has written in between)."""
        row = (await self.connection.execute(
            sql_update(self.table).where(self.table.c[self.key] == record_id)
            .values(region=self.table.c.region)
            .returning(self.table.c.region, self.table.c[self.day], self.table.c.retracted_at))).first()
        return Recorded(region=row[0], occurred_on=row[1], retracted=row[2] is not None) if row else None

    async def get(self, record_id) -> dict | None:
        row = (await self.connection.execute(
            select(self.table).where(self.table.c[self.key] == record_id))).mappings().first()
        return as_record(row) if row else None

    async def retract(self, event: Retraction) -> None:
        await self._update(event, retracted_at=event.recorded_at, retraction_reason=event.reason.value)

    def listing(self, *, since: date | None, until: date | None, topic: str | None = None, **equal) -> Select:
        """Records of the activity's date range; `equal` are column values (None: any)."""
        query = select(self.table)
        if since is not None:
            query = query.where(self.table.c[self.day] >= since)
        if until is not None:
            query = query.where(self.table.c[self.day] <= until)
        for column, value in equal.items():
            if value is not None:
                query = query.where(self.table.c[column] == value)
        if topic is not None:  # a coded topic (validated), so no LIKE wildcards can sneak in
            query = query.where((literal(";") + self.table.c.topics + literal(";")).like(f"%;{topic};%"))
        return query

    def order(self) -> tuple:
        return self.table.c[self.day].desc(), self.table.c[self.key]

    async def _insert(self, **values) -> None:
        await self.connection.execute(insert(self.table).values(**values))

    async def _update(self, event: IntegrationEvent, **values) -> None:
        await self.connection.execute(sql_update(self.table).where(self.table.c[self.key] == getattr(event, self.key))
                                   .values(**values))


class AdviceSessions(_Records):
    table, key, day = advice_sessions, "session_id", "occurred_on"

    async def add(self, event: AdviceGiven, citizenship: str) -> None:
        await self._insert(session_id=event.session_id, recorded_at=event.recorded_at,
                           **self._facts(event, citizenship))

    async def correct(self, event: AdviceCorrected, citizenship: str) -> None:
        await self._update(event, corrected_at=event.recorded_at, **self._facts(event, citizenship))

    @staticmethod
    def _facts(event: AdviceGiven | AdviceCorrected, citizenship: str) -> dict:
        return dict(region=event.region.value, occurred_on=event.occurred_on, session_type=event.session_type.value,
                    topics=_topics(event.topics), residence_status=event.residence_status.value,
                    citizenship=citizenship, person_ref=event.person_ref)


class GroupEvents(_Records):
    table, key, day = group_events, "activity_id", "held_on"

    async def add(self, event: EventHeld) -> None:
        await self._insert(activity_id=event.activity_id, recorded_at=event.recorded_at, **self._facts(event))

    async def correct(self, event: EventCorrected) -> None:
        await self._update(event, corrected_at=event.recorded_at, **self._facts(event))

    @staticmethod
    def _facts(event: EventHeld | EventCorrected) -> dict:
        return dict(region=event.region.value, held_on=event.occurred_on, topics=_topics(event.topics),
                    participants=event.participants)


class Referrals(_Records):
    table, key, day = referrals, "referral_id", "occurred_on"

    async def add(self, event) -> None:
        await self._insert(referral_id=event.referral_id, region=event.region.value, occurred_on=event.occurred_on,
                           citizenship=event.citizenship, person_ref=event.person_ref, recorded_at=event.recorded_at)


class FairIntegrationUnitOfWork(UnitOfWork):
    advice_sessions: AdviceSessions
    group_events: GroupEvents
    referrals: Referrals

    def _begin(self, connection: WriteConnection) -> None:
        self.advice_sessions = AdviceSessions(connection)
        self.group_events = GroupEvents(connection)
        self.referrals = Referrals(connection)


tables = RecordingTables(outbox=outbox, imported_records=imported_records, unit_of_work=FairIntegrationUnitOfWork)
