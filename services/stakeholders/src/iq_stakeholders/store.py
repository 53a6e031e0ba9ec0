"""The stakeholders database: organisations, the current state of activities and
consultations, and the outbox, in one transaction. The history is the outbox (event log);
these tables hold what is true now (corrected or retracted)."""

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    insert,
    select,
    update,
)

from iq_contracts.codes import StakeholderType
from iq_runtime.bulk_import import imported_records_table
from iq_runtime.database import WriteConnection
from iq_runtime.outbox import outbox_table
from iq_runtime.recording import RecordingTables
from iq_runtime.unit_of_work import UnitOfWork

from .domain import Organisation

metadata = MetaData()


def _history() -> list[Column]:
    """Its latest event; when it was first recorded, last corrected, retracted (and why)."""
    return [Column("event_id", Uuid, nullable=False, unique=True),
            Column("recorded_at", DateTime(timezone=True), nullable=False),
            Column("corrected_at", DateTime(timezone=True)),
            Column("retracted_at", DateTime(timezone=True)),
            Column("retraction_reason", String(40))]


organisations = Table(
    "organisations", metadata,
    Column("organisation_id", Uuid, primary_key=True),
    Column("region", String(5), nullable=False, index=True),
    Column("code", String(64), nullable=False),
    Column("type", String(40), nullable=False),
    Column("target_group", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("corrected_at", DateTime(timezone=True)),
    UniqueConstraint("region", "code", name="uq_organisations_region_code"),
)

activities = Table(
    "activities", metadata,
    Column("activity_id", Uuid, primary_key=True),
    Column("region", String(5), nullable=False, index=True),
    Column("format", String(20), nullable=False),
    Column("target_group", String(20), nullable=False),
    Column("topic", String(40), nullable=False),
    Column("occurred_on", Date, nullable=False, index=True),
    Column("participants", Integer, nullable=False),
    *_history(),
)

consultations = Table(
    "consultations", metadata,
    Column("consultation_id", Uuid, primary_key=True),
    Column("region", String(5), nullable=False, index=True),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("organisation_type", String(40), nullable=False),
    Column("target_group", String(20), nullable=False),
    Column("topic", String(40), nullable=False),
    Column("occurred_on", Date, nullable=False, index=True),
    *_history(),
)

outbox = outbox_table(metadata)
imported_records = imported_records_table(metadata)


class Organisations:
    def __init__(self, connection: WriteConnection) -> None:
        self.connection = connection

    async def add(self, organisation: Organisation, registered_at) -> None:
        await self.connection.execute(insert(organisations).values(
            organisation_id=organisation.organisation_id, region=organisation.region, code=organisation.code,
            type=organisation.type.value, target_group=organisation.type.group.value, name=organisation.name,
            registered_at=registered_at))

    async def correct(self, organisation: Organisation, corrected_at) -> None:
        await self.connection.execute(update(organisations).where(
            organisations.c.organisation_id == organisation.organisation_id).values(
            code=organisation.code, type=organisation.type.value, target_group=organisation.type.group.value,
            name=organisation.name, corrected_at=corrected_at))

    async def get(self, organisation_id, *, for_correction: bool = False) -> Organisation | None:
        """On PostgreSQL a correction locks the organisation and a consultation shares the lock:
        no consultation is recorded with the type a correction is replacing, and two corrections
        take turns (two that only shared it would each wait for the other to write it)."""
        return await self._one(organisations.c.organisation_id == organisation_id, for_correction)

    async def find(self, region: str, code: str) -> Organisation | None:
        return await self._one((organisations.c.region == region) & (organisations.c.code == code))

    async def _one(self, where, for_correction: bool = False) -> Organisation | None:
        query = select(organisations).where(where).with_for_update(read=not for_correction)
        row = (await self.connection.execute(query)).mappings().first()
        if row is None:
            return None
        return Organisation(row["organisation_id"], row["region"], row["code"], StakeholderType(row["type"]),
                            row["name"])


class _Records:
    """The current state of one kind of record, written from its events."""

    table: Table
    key: str
    facts: tuple[str, ...]

    def __init__(self, connection: WriteConnection) -> None:
        self.connection = connection

    def _facts(self, event) -> dict:
        values = {name: getattr(event, name) for name in ("region", "occurred_on", *self.facts)}
        return {name: getattr(value, "value", value) for name, value in values.items()} | {"event_id": event.event_id}

    async def add(self, event) -> None:
        await self.connection.execute(insert(self.table).values(
            {self.key: getattr(event, self.key), "recorded_at": event.recorded_at, **self._facts(event)}))

    async def correct(self, event) -> None:
        await self._update(event, corrected_at=event.recorded_at, **self._facts(event))

    async def retract(self, event) -> None:
        await self._update(event, event_id=event.event_id, retracted_at=event.recorded_at,
                           retraction_reason=event.reason.value)

    async def _update(self, event, **values) -> None:
        column = self.table.c[self.key]
        await self.connection.execute(update(self.table).where(column == getattr(event, self.key)).values(**values))

    async def get(self, record_id) -> dict | None:
        # FOR UPDATE: concurrent commands on one record take turns on PostgreSQL (SQLite's writers always do)
        row = (await self.connection.execute(
            select(self.table).where(self.table.c[self.key] == record_id).with_for_update())).mappings().first()
        return dict(row) if row else None


class Activities(_Records):
    table, key = activities, "activity_id"
    facts = ("format", "target_group", "topic", "participants")


class Consultations(_Records):
    table, key = consultations, "consultation_id"
    facts = ("organisation_id", "organisation_type", "target_group", "topic")

    async def standing_of(self, organisation_id) -> list[dict]:
        """The organisation's consultations not retracted, in the order they were recorded."""
        rows = await self.connection.execute(
            select(consultations).where((consultations.c.organisation_id == organisation_id)
                                        & consultations.c.retracted_at.is_(None))
            .order_by(consultations.c.recorded_at, consultations.c.consultation_id).with_for_update())
        return [dict(row) for row in rows.mappings()]


class StakeholdersUnitOfWork(UnitOfWork):
    organisations: Organisations
    activities: Activities
    consultations: Consultations

    def _begin(self, connection: WriteConnection) -> None:
        self.organisations = Organisations(connection)
        self.activities = Activities(connection)
        self.consultations = Consultations(connection)


tables = RecordingTables(outbox=outbox, imported_records=imported_records, unit_of_work=StakeholdersUnitOfWork)
