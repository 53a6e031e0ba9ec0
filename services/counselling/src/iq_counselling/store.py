"""The counselling database: advice sessions and the outbox, in one transaction."""

from sqlalchemy import Boolean, Column, Date, DateTime, MetaData, String, Table, Uuid, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from iq_contracts.events.counselling import AdviceGiven
from iq_runtime.bulk_import import imported_records_table
from iq_runtime.outbox import outbox_table
from iq_runtime.recording import RecordingTables
from iq_runtime.unit_of_work import UnitOfWork

metadata = MetaData()

advice_sessions = Table(
    "advice_sessions",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False, unique=True),
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
)

outbox = outbox_table(metadata)
imported_records = imported_records_table(metadata)


class AdviceSessions:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, event: AdviceGiven) -> None:
        await self.session.execute(insert(advice_sessions).values(
            session_id=event.session_id, event_id=event.event_id, region=event.region.value,
            contact_point=event.contact_point, occurred_on=event.occurred_on,
            recorded_at=event.recorded_at, session_type=event.session_type.value,
            kind=event.kind.value, mode=event.mode.value,
            occupation_classification=event.occupation.classification.value,
            occupation_code=event.occupation.code,
            qualification_country=event.qualification_country,
            occupation_regulated=event.occupation_regulated, person_ref=event.person_ref,
        ))

    async def get(self, session_id) -> dict | None:
        row = (await self.session.execute(
            select(advice_sessions).where(advice_sessions.c.session_id == session_id)
        )).mappings().first()
        return dict(row) if row else None


class CounsellingUnitOfWork(UnitOfWork):
    advice_sessions: AdviceSessions

    def _begin(self, session: AsyncSession) -> None:
        self.advice_sessions = AdviceSessions(session)


tables = RecordingTables(outbox=outbox, imported_records=imported_records, unit_of_work=CounsellingUnitOfWork)
