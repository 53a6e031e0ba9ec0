"""The reporting database: daily aggregates the figures are summed from, plus the ledger.

Every aggregate row is keyed by the day the activity took place (`occurred_on`) AND the
day it was recorded (`recorded_on`, Europe/Berlin). A figure as of R sums the rows with
`recorded_on <= R`, so a late record changes later sheets and never an earlier one."""

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table

from iq_runtime.ledger import ledger_tables

metadata = MetaData()
applied_events, partition_offsets = ledger_tables(metadata)

advice_sessions_daily = Table(
    "counselling_sessions_daily",
    metadata,
    Column("region", String(5), primary_key=True),
    Column("occurred_on", Date, primary_key=True),
    Column("recorded_on", Date, primary_key=True),
    Column("session_type", String(20), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("mode", String(20), primary_key=True),
    Column("sessions", BigInteger, nullable=False),
)
