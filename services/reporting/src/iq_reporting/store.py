"""The reporting database: signed aggregate rows the figures are summed from, the current
state of every record, and the ledger.

Every aggregate row is keyed by the day that puts it in a period (`occurred_on`; for the
completion cohort the participant's start) AND the day it was recorded (`recorded_on`,
Europe/Berlin). A figure as of R sums the rows with `recorded_on <= R`: a late record
changes later sheets, never an earlier one; a correction is a negative row for the old
state plus a positive row for the new one, both on the correction's recording day."""

from sqlalchemy import BigInteger, Column, Date, Index, MetaData, PrimaryKeyConstraint, String, Table, Text

from iq_runtime.ledger import ledger_tables

from . import rules

metadata = MetaData()
applied_events, partition_offsets = ledger_tables(metadata)

# Most figures. A contribution row is written at three grains of (activity day, recording
# day): (day, day), (month, day) and (month, month). A sheet sums whole months where it can and
# days only at the edges of a free date range, so it touches ~30x fewer rows than days. (The
# fourth combination, (day, month), served only those edges: dropped, a quarter fewer writes.)
figure_counts = Table(
    rules.COUNTS,
    metadata,
    Column("occurred_grain", String(1), primary_key=True),  # "d" day or "m" month
    Column("recorded_grain", String(1), primary_key=True),
    Column("occurred_on", Date, primary_key=True),  # the day, or the first day of the month
    Column("recorded_on", Date, primary_key=True),
    Column("region", String(5), primary_key=True),
    Column("measure", String(60), primary_key=True),
    Column("dimension", String(60), primary_key=True),
    Column("count", BigInteger, nullable=False),
)
GRAINS = (("d", "d"), ("m", "d"), ("m", "m"))
# No other index: every part of a sheet is a range of this primary key (sums.py).

# Distinct persons, exact: a person counts when the sum of their rows in the period is > 0.
distinct_persons = Table(
    rules.PERSONS,
    metadata,
    Column("area", String(20), primary_key=True),
    Column("occurred_on", Date, primary_key=True),
    Column("recorded_on", Date, primary_key=True),
    Column("region", String(5), primary_key=True),
    Column("person_ref", String(64), primary_key=True),
    Column("delta", BigInteger, nullable=False),
)

# the projector reads all rows of the persons a batch touches
Index("distinct_persons_by_person", distinct_persons.c.person_ref)

# Distinct persons per year, quarter and month (see persons.py): how many count, by recording day.
person_period_counts = Table(
    "person_period_counts",
    metadata,
    Column("area", String(20)),
    Column("scope", String(5)),  # a region, or "*" for the whole country
    Column("grain", String(1)),  # "y", "q" or "m"
    Column("period_start", Date),
    Column("recorded_on", Date),
    Column("delta", BigInteger, nullable=False),
    # by recording day before scope: a batch's rows (today's) lie side by side (migration 0008)
    PrimaryKeyConstraint("area", "grain", "period_start", "recorded_on", "scope"),
)

# Opening intervals of contact points; one is active in a period when it overlaps it.
contact_point_intervals = Table(
    rules.CONTACT_POINTS,
    metadata,
    Column("region", String(5), primary_key=True),
    Column("contact_point", String(64), primary_key=True),
    Column("type", String(20), primary_key=True),
    Column("opened_on", Date, primary_key=True),
    Column("closed_on", Date, primary_key=True),
    Column("recorded_on", Date, primary_key=True),
    Column("delta", BigInteger, nullable=False),
)

# What each record contributes now, so a correction or retraction can take it back.
record_states = Table(
    "record_states",
    metadata,
    Column("record", String(120), primary_key=True),
    Column("contribution", Text, nullable=False),  # JSON list of [table, key, n]
    Column("facts", Text),  # JSON, only where the next state depends on the previous one
    Column("first_recorded_at", String(40), nullable=False),  # ISO 8601 UTC: compares as text
    Column("last_recorded_at", String(40), nullable=False),
    # JSON list of [recorded_at, contribution] before the current version; NULL: not known (0009)
    Column("earlier", Text),
)

PROJECTION = [figure_counts, distinct_persons, person_period_counts, contact_point_intervals, record_states]

# Rollups for sheets as of any date (see recorded.py): a year or quarter of activity by the
# year it was recorded in. Few keys, so a batch's rows merge heavily: ~1 row per cell for
# a reference date after the period's recordings settled, instead of one per recording month.
figure_rollups = Table(
    "figure_rollups",
    metadata,
    Column("grain", String(1), primary_key=True),  # "y" or "q"
    Column("period_start", Date, primary_key=True),
    Column("recorded_year", Date, primary_key=True),  # its first day
    Column("region", String(5), primary_key=True),
    Column("measure", String(60), primary_key=True),
    Column("dimension", String(60), primary_key=True),
    Column("count", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

# person_period_counts by recording month: a sheet sums months before the reference date's
# month and days only in it (~15 rows per area and scope instead of ~400).
person_period_months = Table(
    "person_period_months",
    metadata,
    Column("area", String(20)),
    Column("scope", String(5)),
    Column("grain", String(1)),
    Column("period_start", Date),
    Column("recorded_month", Date),  # its first day
    Column("delta", BigInteger, nullable=False),
    PrimaryKeyConstraint("area", "grain", "period_start", "recorded_month", "scope"),
    sqlite_with_rowid=False,
)

PROJECTION += [figure_rollups, person_period_months]

# Which sheets a batch changed, for the sheet cache (sheet_cache.py): per activity month (or
# ANY_MONTH for contact points, which span periods) and recording day, how many batches added
# rows there. Only ever grows, so it is not cleared with the projection (rebuild runs with
# `serve` stopped, and a count that fell could repeat an old one).
sheet_changes = Table(
    "sheet_changes",
    metadata,
    Column("occurred_month", Date, primary_key=True),
    Column("recorded_on", Date, primary_key=True),
    Column("changes", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
