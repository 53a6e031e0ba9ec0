"""The training database: the current state of schemes and enrolments (corrections and
retractions update it; the events keep the history) and the outbox, in one transaction."""

from uuid import UUID

from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, Uuid, insert, select, update

from iq_contracts.base import IntegrationEvent, Occupation
from iq_contracts.codes import CompletionOutcome, MeasureType, SchemeFormat
from iq_contracts.events import training as ev
from iq_contracts.regions import Region
from iq_runtime.bulk_import import imported_records_table
from iq_runtime.database import WriteConnection
from iq_runtime.outbox import outbox_table
from iq_runtime.recording import RecordingTables
from iq_runtime.unit_of_work import UnitOfWork

from .domain import Enrolment, Scheme

metadata = MetaData()
ESF_FIELDS = ("gender", "age_band", "isced", "labour_market_status", "third_country_national",
              "foreign_background")

schemes = Table(
    "schemes",
    metadata,
    Column("scheme_id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False),  # the scheme's latest event
    Column("region", String(5), nullable=False, index=True),
    Column("format", String(20), nullable=False),
    Column("measure_type", String(40), nullable=False),
    Column("occupation_classification", String(10), nullable=False),
    Column("occupation_code", String(5), nullable=False),
    Column("starts_on", Date, nullable=False, index=True),
    Column("planned_end", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("corrected_at", DateTime(timezone=True)),
    Column("retracted_at", DateTime(timezone=True)),
    Column("retraction_reason", String(20)),
)

enrolments = Table(
    "enrolments",
    metadata,
    Column("enrolment_id", Uuid, primary_key=True),
    Column("scheme_id", Uuid, nullable=False, index=True),
    Column("event_id", Uuid, nullable=False),  # the enrolment's latest event
    Column("region", String(5), nullable=False, index=True),
    Column("person_ref", String(64), nullable=False, index=True),
    Column("started_on", Date, nullable=False, index=True),
    *(Column(name, String(30), nullable=False) for name in ESF_FIELDS),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("corrected_at", DateTime(timezone=True)),
    Column("retracted_at", DateTime(timezone=True)),
    Column("retraction_reason", String(20)),
    Column("completed_on", Date),
    Column("outcome", String(30)),
    Column("completion_recorded_at", DateTime(timezone=True)),
)

outbox = outbox_table(metadata)
imported_records = imported_records_table(metadata)


def _scheme_state(event: ev.SchemeOpened | ev.SchemeCorrected) -> dict:
    return dict(event_id=event.event_id, format=event.format.value, measure_type=event.measure_type.value,
                occupation_classification=event.occupation.classification.value,
                occupation_code=event.occupation.code, starts_on=event.occurred_on, planned_end=event.planned_end)


def _start_state(event: ev.SchemeStarted | ev.SchemeStartCorrected) -> dict:
    return dict(event_id=event.event_id, person_ref=event.person_ref, started_on=event.occurred_on,
                **{name: getattr(event.esf, name).value for name in ESF_FIELDS})


class Schemes:
    def __init__(self, connection: WriteConnection) -> None:
        self.connection = connection

    async def get(self, scheme_id) -> Scheme | None:
        """The scheme, locked until the transaction ends: its participants' rules (no one twice,
        one in an individual scheme) are checked against the enrolments committed before."""
        # FOR UPDATE: concurrent commands on one record take turns on PostgreSQL (SQLite's writers always do)
        row = (await self.connection.execute(
            select(schemes).where(schemes.c.scheme_id == scheme_id).with_for_update())).first()
        return row and Scheme(
            scheme_id=row.scheme_id, region=Region(row.region), format=SchemeFormat(row.format),
            measure_type=MeasureType(row.measure_type),
            occupation=Occupation(classification=row.occupation_classification, code=row.occupation_code),
            starts_on=row.starts_on, planned_end=row.planned_end, retracted=row.retracted_at is not None)

    async def record(self, event: IntegrationEvent) -> None:
        where = schemes.c.scheme_id == event.scheme_id
        match event:
            case ev.SchemeOpened():
                statement = insert(schemes).values(scheme_id=event.scheme_id, region=event.region.value,
                                                   recorded_at=event.recorded_at, **_scheme_state(event))
            case ev.SchemeCorrected():
                statement = update(schemes).where(where).values(corrected_at=event.recorded_at,
                                                                **_scheme_state(event))
            case ev.SchemeRetracted():
                statement = update(schemes).where(where).values(event_id=event.event_id, retracted_at=event.recorded_at,
                                                                retraction_reason=event.reason.value)
        await self.connection.execute(statement)


class Enrolments:
    def __init__(self, connection: WriteConnection) -> None:
        self.connection = connection

    async def get(self, enrolment_id) -> Enrolment | None:
        """The enrolment, locked until the transaction ends (a completion and a retraction of
        one start can not both pass)."""
        found = await self._select(enrolments.c.enrolment_id == enrolment_id, lock=True)
        return found[0] if found else None

    async def current_of(self, scheme_id, lock: bool = False) -> list[Enrolment]:
        """The participants of a scheme whose start stands (is not retracted)."""
        return await self._select(enrolments.c.scheme_id == scheme_id, enrolments.c.retracted_at.is_(None), lock=lock)

    async def scheme_of(self, enrolment_id) -> UUID | None:
        """The scheme of an enrolment, read without a lock (to lock the scheme first)."""
        return await self.connection.scalar(select(enrolments.c.scheme_id).where(
            enrolments.c.enrolment_id == enrolment_id))

    async def _select(self, *where, lock: bool = False) -> list[Enrolment]:
        query = select(enrolments).where(*where).order_by(enrolments.c.started_on)
        rows = await self.connection.execute(query.with_for_update() if lock else query)  # see Schemes.get
        return [Enrolment(
            enrolment_id=row.enrolment_id, scheme_id=row.scheme_id, region=Region(row.region),
            person_ref=row.person_ref, started_on=row.started_on,
            esf=ev.EsfAttributes(**{name: getattr(row, name) for name in ESF_FIELDS}),
            completed_on=row.completed_on, outcome=row.outcome and CompletionOutcome(row.outcome),
            retracted=row.retracted_at is not None,
        ) for row in rows]

    async def record(self, event: IntegrationEvent) -> None:
        values: dict = {"event_id": event.event_id}
        match event:
            case ev.SchemeStarted():
                await self.connection.execute(insert(enrolments).values(
                    enrolment_id=event.enrolment_id, scheme_id=event.scheme_id, region=event.region.value,
                    recorded_at=event.recorded_at, **_start_state(event)))
                return
            case ev.SchemeStartCorrected():
                values |= _start_state(event) | {"corrected_at": event.recorded_at}
            case ev.SchemeStartRetracted():
                values |= {"retracted_at": event.recorded_at, "retraction_reason": event.reason.value}
            case ev.SchemeCompleted() | ev.SchemeCompletionCorrected():
                values |= {"completed_on": event.occurred_on, "outcome": event.outcome.value,
                           "completion_recorded_at": event.recorded_at}
            case ev.SchemeCompletionRetracted():
                values |= {"completed_on": None, "outcome": None, "completion_recorded_at": None}
        await self.connection.execute(update(enrolments).where(enrolments.c.enrolment_id == event.enrolment_id)
                                   .values(values))


class TrainingUnitOfWork(UnitOfWork):
    schemes: Schemes
    enrolments: Enrolments

    def _begin(self, connection: WriteConnection) -> None:
        self.schemes = Schemes(connection)
        self.enrolments = Enrolments(connection)


    async def record(self, *events: IntegrationEvent) -> None:
        """Brings the current state up to date with `events` and publishes them with it."""
        for event in events:
            await (self.schemes if event.key_field == "scheme_id" else self.enrolments).record(event)
        self.publish(*events)


tables = RecordingTables(outbox=outbox, imported_records=imported_records, unit_of_work=TrainingUnitOfWork)
