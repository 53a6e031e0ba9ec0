"""Statements of the hot paths, through the driver: plain SQL and tuples.

The projector's writes: SQLAlchemy's compiled statements cost ~8 us per row in parameter
handling alone (more than SQLite needs to upsert the row); `exec_driver_sql` hands a list of
tuples to the driver's `executemany` as is. A sheet's reads (`Parameters`): building,
caching and executing a SQLAlchemy statement and its rows cost more than SQLite's reading
of them. Dates travel as ISO strings, which is how SQLAlchemy stores `Date` on SQLite; on
PostgreSQL they are converted to `date` for asyncpg."""

from datetime import date

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 500  # values per IN (...) list, well below every database's parameter limit
WRITE_CHUNK = 5000  # rows per executemany on PostgreSQL


def iso(value) -> str:
    """A date column as read back: a string on SQLite, a `date` on PostgreSQL."""
    return value if isinstance(value, str) else value.isoformat()


def _marks(session: AsyncSession, n: int, first: int = 1) -> str:
    if session.bind.dialect.paramstyle == "numeric_dollar":
        return ", ".join(f"${i}" for i in range(first, first + n))
    return ", ".join("?" * n)


async def upsert(session: AsyncSession, table: Table, columns: tuple[str, ...], rows: list[tuple],
                 add: str | None = None) -> None:
    """One executemany: `add` sums into that amount column, else the row is replaced.
    `columns` name the tuples' fields; its date columns hold ISO strings."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    if add:
        updates = f"{add} = {table.name}.{add} + excluded.{add}"
    else:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({_marks(session, len(columns))}) "
           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}")
    connection = await session.connection()
    if session.bind.dialect.name != "postgresql":
        await connection.exec_driver_sql(sql, rows)
        return
    # in chunks: the converted copy and asyncpg's encoded batch stay small (memory)
    dated = [i for i, c in enumerate(columns) if str(table.c[c].type) == "DATE"]
    for i in range(0, len(rows), WRITE_CHUNK):
        await connection.exec_driver_sql(sql, [tuple(date.fromisoformat(v) if j in dated else v
                                                     for j, v in enumerate(row)) for row in rows[i:i + WRITE_CHUNK]])


async def select_in(session: AsyncSession, query: str, values: list, leading: tuple = ()) -> list[tuple]:
    """`query` with one `{}` for the IN list, run in chunks of `values`; `leading` are the
    parameters before the list (their marks from `marks`)."""
    connection = await session.connection()
    found: list[tuple] = []
    for i in range(0, len(values), CHUNK):
        chunk = values[i:i + CHUNK]
        result = await connection.exec_driver_sql(query.format(_marks(session, len(chunk), len(leading) + 1)),
                                                  (*leading, *chunk))
        found.extend(result.all())
    return found


def marks(session: AsyncSession, n: int) -> list[str]:
    """The first n parameter marks of a statement, for `select_in`'s leading parameters."""
    return _marks(session, n).split(", ")


def day(session: AsyncSession, iso_day: str):
    """An ISO day as a parameter: a string on SQLite, a `date` for asyncpg."""
    return date.fromisoformat(iso_day) if session.bind.dialect.name == "postgresql" else iso_day


class Parameters:
    """The parameters of one statement in the order of their marks (`$n` for asyncpg, `?`
    for SQLite): each mark appends its value, so an f-string, evaluated left to right, lists
    them in order."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.numbered = session.bind.dialect.paramstyle == "numeric_dollar"
        self.dates_as_text = session.bind.dialect.name != "postgresql"
        self.values: list = []

    def value(self, value) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.numbered else "?"

    def each(self, values) -> str:
        return ", ".join(self.value(value) for value in values)

    def day(self, day: date) -> str:
        return self.value(day.isoformat() if self.dates_as_text else day)

    def days(self, days) -> str:
        return ", ".join(self.day(day) for day in days)

    async def rows(self, sql: str) -> list[tuple]:
        connection = await self.session.connection()  # begins the session's transaction
        if self.dates_as_text:
            # SQLite: the driver's own tuples, without SQLAlchemy's result and row objects
            # (a fifth of a national sheet's counts, bench/README.md). On PostgreSQL asyncpg
            # would run outside SQLAlchemy's lazily begun transaction, so the sheet's reads
            # would not share one snapshot.
            raw = await connection.get_raw_connection()
            return await raw.driver_connection.execute_fetchall(sql, tuple(self.values))
        return (await connection.exec_driver_sql(sql, tuple(self.values))).all()
