"""Statements that run for every record, compiled once and handed to SQLite's driver.

SQLAlchemy's execution of a Core statement (compiled-cache lookup, execution context,
parameter and result processing, the result object) costs more than SQLite's own work for
a primary-key insert or lookup: measured 32 us against 16 for an insert of an advice
session, 17 us against 3 for the contact point lookup. A recording runs three of them.
`per_record(statement)` marks a constant statement (built once, at import); the on-loop
SQLite connections (`sqlite_connection`) compile it once per set of parameter names and
run it on the driver with the same bind and result processors SQLAlchemy would apply.
Elsewhere (PostgreSQL) the mark is an execution option nobody reads, and SQLAlchemy runs
the statement as usual."""

import sqlite3
from collections.abc import Mapping, Sequence

from sqlalchemy import exc
from sqlalchemy.engine import Dialect, IteratorResult
from sqlalchemy.engine.result import SimpleResultMetaData
from sqlalchemy.sql import Executable

_MARK = "iq_per_record"


def per_record(statement: Executable) -> Executable:
    """Mark a statement built once and run for every record (bind parameters, no inline
    values: the compiled form is kept for the life of the process)."""
    return statement.execution_options(**{_MARK: True})


def is_per_record(statement) -> bool:
    return isinstance(statement, Executable) and statement.get_execution_options().get(_MARK, False)


class Done:
    """What a direct INSERT/UPDATE/DELETE returns: the rows it changed."""

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount


class _Compiled:
    def __init__(self, statement: Executable, names: tuple[str, ...], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(names))
        if compiled.insert_prefetch or compiled.update_prefetch or "POSTCOMPILE" in compiled.string:
            # Python-side column defaults and expanding IN need SQLAlchemy's execution context
            raise ValueError(f"not a per-record statement (defaults computed in Python or expanding IN): "
                             f"{compiled.string}")
        self.sql = compiled.string
        self.binds = [(name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                      for name in compiled.positiontup]
        self.is_select = statement.is_select
        if self.is_select:
            columns = list(statement.selected_columns)
            self.metadata = SimpleResultMetaData([column.key for column in columns])
            self.results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]

    def values(self, parameters: Mapping) -> tuple:
        return tuple(value if process is None else process(value)
                     for value, process in ((parameters[name], process) for name, process in self.binds))

    def run(self, driver: sqlite3.Connection, parameters: Mapping | Sequence[Mapping]):
        many = not isinstance(parameters, Mapping)
        try:
            if many:
                cursor = driver.executemany(self.sql, [self.values(row) for row in parameters])
            else:
                cursor = driver.execute(self.sql, self.values(parameters))
        except sqlite3.Error as error:
            # the same exception SQLAlchemy raises (IntegrityError, OperationalError, ...)
            raise exc.DBAPIError.instance(self.sql, parameters, error, sqlite3.Error) from error
        if not self.is_select:
            return Done(cursor.rowcount)
        rows = [tuple(value if process is None else process(value)
                      for value, process in zip(row, self.results, strict=True)) for row in cursor.fetchall()]
        return IteratorResult(self.metadata, iter(rows))


_compiled: dict[tuple, _Compiled] = {}


def execute(driver: sqlite3.Connection, dialect: Dialect, statement: Executable,
            parameters: Mapping | Sequence[Mapping] | None):
    """Run a `per_record` statement on SQLite's driver connection (in its transaction)."""
    parameters = {} if parameters is None else parameters
    first = parameters if isinstance(parameters, Mapping) else parameters[0]
    names = tuple(first)
    # every on-loop connection uses the pysqlite dialect of `SQLiteWriter`: one compiled
    # form per statement and set of parameter names serves them all
    key = (statement, names)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compiled[key] = _Compiled(statement, names, dialect)
    return compiled.run(driver, parameters)
