"""Bulk import from an older tool: CSV or JSON lines, one record per row.

Every row is validated as the command it stands for and recorded by the same code as a
single request. Valid rows are imported, invalid rows are reported (line, field, reason);
a row's domain rows, events and source id commit together or not at all (a savepoint per
row, a transaction per chunk). Re-importing a file changes nothing: each row carries the
`source_record_id` it had in the old tool, and a source id is recorded once per kind of
record and region (old tools number each kind from 1, and so does every region's tool).

A migration keeps each row's original `recorded_at` (the handler sees it as "now"), so the
figures as of a historic reference date come out as they were; without it the server time
is used, as for ordinary recording. Since that changes sheets already published, only an
admin's import (or the command line, on the database itself) may keep it."""

import csv
import dataclasses
import io
import json
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, ValidationError
from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, select
from sqlalchemy.exc import DBAPIError

from iq_contracts.base import IntegrationEvent

from .context import BERLIN, HandlerContext
from .errors import Conflict, Rejected, at_the_same_moment
from .unit_of_work import UnitOfWork

SOURCE_ID = "source_record_id"
RECORDED_AT = "recorded_at"
CHUNK_ROWS = 500
Format = Literal["csv", "jsonl"]

# `apply` records one command inside an open unit of work (no commit) and returns the event
# it published; it raises `Rejected` before writing anything it refuses.
Apply = Callable[[BaseModel, UnitOfWork, HandlerContext], Awaitable[IntegrationEvent]]


BEFORE_KINDS = ""  # kind and region of a source id imported before they were recorded


def imported_records_table(metadata: MetaData, name: str = "imported_records") -> Table:
    return Table(
        name,
        metadata,
        # the command's class name: renaming one lets its rows be imported again
        Column("kind", String(60), primary_key=True),
        Column("region", String(8), primary_key=True),
        Column(SOURCE_ID, String(200), primary_key=True),
        Column("record_id", String(200), nullable=False),
        Column("imported_at", DateTime(timezone=True), nullable=False),
    )


def create_imported_records_table(op, name: str = "imported_records") -> None:
    """For the migration that introduces bulk import in a service: the table as it was then,
    keyed by the source id alone (`key_imported_records_by_kind` upgrades it)."""
    Table(name, MetaData(), Column(SOURCE_ID, String(200), primary_key=True),
          Column("record_id", String(200), nullable=False),
          Column("imported_at", DateTime(timezone=True), nullable=False)).create(op.get_bind())


def key_imported_records_by_kind(op) -> None:
    """For each service's migration: source ids keyed by kind of record and region too. Rows
    imported before keep BEFORE_KINDS for both and go on blocking their source id in every
    kind and region, as they did (which of a service's kinds they were is not recorded)."""
    connection = op.get_bind()
    new = imported_records_table(MetaData(), name="imported_records_by_kind")
    new.create(connection)
    connection.exec_driver_sql(
        f"INSERT INTO imported_records_by_kind (kind, region, {SOURCE_ID}, record_id, imported_at) "
        f"SELECT '{BEFORE_KINDS}', '{BEFORE_KINDS}', {SOURCE_ID}, record_id, imported_at FROM imported_records")
    op.drop_table("imported_records")
    op.rename_table("imported_records_by_kind", "imported_records")


def unkey_imported_records(op) -> None:
    """The downgrade: one row per source id again (the earliest record of those sharing it)."""
    create_imported_records_table(op, name="imported_records_by_source")
    op.get_bind().exec_driver_sql(
        f"INSERT INTO imported_records_by_source ({SOURCE_ID}, record_id, imported_at) "
        f"SELECT {SOURCE_ID}, MIN(record_id), MIN(imported_at) FROM imported_records GROUP BY {SOURCE_ID}")
    op.drop_table("imported_records")
    op.rename_table("imported_records_by_source", "imported_records")


class RowError(BaseModel):
    line: int
    source_record_id: str | None
    field: str
    reason: str


class ImportReport(BaseModel):
    rows: int = 0
    imported: int = 0
    already_imported: int = 0
    rejected: int = 0
    errors: list[RowError] = []


def read_rows(content: bytes, fmt: Format) -> list[tuple[int, dict | RowError]]:
    """(line number, row) pairs, all read before anything is imported: a file that cannot be
    read (not UTF-8, a broken CSV) is refused whole. CSV headers with dots nest
    (`occupation.code`); empty cells are left out so that defaults apply. A line that cannot
    be read as a row is a RowError."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected("body", f"not UTF-8 (byte {exc.start}); export the file as UTF-8 and send it again") from None
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        try:
            return list(_csv_rows(reader))
        except csv.Error as exc:
            # the reader counts the lines it has read before the one it could not
            raise Rejected("body", f"line {reader.line_num + 1}: {exc}; nothing was imported") from None
    return list(_json_rows(text))


def _csv_rows(reader: csv.DictReader) -> Iterator[tuple[int, dict | RowError]]:
    if reader.fieldnames and len(reader.fieldnames) == 1 and ";" in reader.fieldnames[0]:
        # what a German spreadsheet exports as "CSV" by default
        raise Rejected("body", "the header's columns are separated by semicolons; export with commas")
    first_line = reader.line_num + 1
    for row in reader:
        if any("\n" in value or "\r" in value for value in row.values() if isinstance(value, str)):
            # no field of a record holds a line break: a quote left open took in the lines after it
            raise Rejected("body", f"line {first_line}: a quoted cell runs over several lines (a quote not "
                                   "closed?); nothing was imported")
        if None in row:
            yield reader.line_num, RowError(line=reader.line_num, source_record_id=None, field="row",
                                            reason="more cells than the header has columns")
        else:
            yield reader.line_num, _nested({k: v for k, v in row.items() if v not in ("", None)})
        first_line = reader.line_num + 1


def _json_rows(text: str) -> Iterator[tuple[int, dict | RowError]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(line=number, source_record_id=None, field="row", reason=f"not JSON: {exc.msg}")
            continue
        if not isinstance(row, dict):
            yield number, RowError(line=number, source_record_id=None, field="row", reason="not a JSON object")
            continue
        yield number, row


def _nested(flat: dict[str, str]) -> dict:
    nested: dict = {}
    for key, value in flat.items():
        *parents, leaf = key.strip().split(".")
        target = nested
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return nested


class _Provenance(BaseModel):
    source_record_id: str = Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$")
    recorded_at: AwareDatetime | None = None


@dataclasses.dataclass
class Importer:
    """Imports one kind of record. `check` may refuse a command for the caller (e.g. a
    recorder's token for another region) by raising `Rejected`."""

    command: type[BaseModel]
    apply: Apply
    unit_of_work: Callable[[], UnitOfWork]
    imported_records: Table
    context: HandlerContext
    check: Callable[[BaseModel], None] = lambda _command: None
    keeps_recording_times: bool = True  # may a row's `recorded_at` stand (a migration)?
    chunk_rows: int = CHUNK_ROWS

    async def run(self, content: bytes, fmt: Format,
                  progress: Callable[[int], None] = lambda _rows: None) -> ImportReport:
        """`progress` is called with the number of rows read since its last call."""
        report = ImportReport()
        seen: dict[tuple[str, str], int] = {}
        chunk: list[tuple[int, dict]] = []
        reported = 0
        for line, row in read_rows(content, fmt):
            report.rows += 1
            key = None if isinstance(row, RowError) else _key(row)
            if isinstance(row, RowError):
                _reject(report, row)
            elif key in seen:
                _reject(report, RowError(line=line, source_record_id=key[1], field=SOURCE_ID,
                                         reason=f"appears twice in this file for {key[0]} (first on line {seen[key]})"))
            else:
                if key[1]:
                    seen[key] = line
                chunk.append((line, row))
            if len(chunk) == self.chunk_rows:
                await self._import_chunk(chunk, report)
                chunk = []
                progress(report.rows - reported)
                reported = report.rows
        if chunk:
            await self._import_chunk(chunk, report)
        progress(report.rows - reported)
        report.errors.sort(key=lambda error: error.line)
        return report

    async def _import_chunk(self, chunk: list[tuple[int, dict]], report: ImportReport) -> None:
        try:
            await self._import_rows(chunk, report)
        except DBAPIError as exc:
            if not at_the_same_moment(exc):
                raise
            # the chunk's transaction was rolled back; the chunks before it stay imported
            raise Conflict("body", f"lines {chunk[0][0]} to {chunk[-1][0]}: another request changed the same "
                                   f"records at the same moment, so none of these rows was imported "
                                   f"({report.imported} rows before them were); send the file again: "
                                   "what was imported is skipped") from None

    async def _import_rows(self, chunk: list[tuple[int, dict]], report: ImportReport) -> None:
        async with self.unit_of_work() as uow:
            # known before validated: a file imported once is "already imported" for any caller
            known = await self._already_imported(uow, [_key(row) for _, row in chunk])
            imported, rejected, already = [], [], 0
            for line, row in chunk:
                region, source_id = _key(row)
                if (region, source_id) in known or (BEFORE_KINDS, source_id) in known:
                    already += 1
                    continue
                staged = len(uow.events)
                savepoint = await uow.connection.begin_nested()
                try:
                    command, provenance = self._read(row)
                    event = await self.apply(command, uow, self._context(provenance))
                except (ValidationError, Rejected) as exc:
                    await savepoint.rollback()
                    del uow.events[staged:]
                    rejected.append((line, source_id, exc))
                    continue
                await savepoint.commit()
                imported.append({"kind": self.command.__name__, "region": str(command.region), SOURCE_ID: source_id,
                                 "record_id": event.aggregate_id, "imported_at": datetime.now(UTC)})
            if imported:
                await uow.connection.execute(insert(self.imported_records), imported)
            await uow.commit()
        # counted once the chunk committed: a chunk that failed reports nothing of its own
        for line, source_id, exc in rejected:
            _reject_row(report, line, source_id, exc)
        report.imported += len(imported)
        report.already_imported += already

    def _read(self, row: dict) -> tuple[BaseModel, "_Provenance"]:
        """The row's command and provenance, validated; raises before anything is written."""
        if row.get(SOURCE_ID) in (None, ""):
            raise Rejected(SOURCE_ID, "required: the record's id in the old tool (importing again then changes "
                                      "nothing)")
        provenance = _Provenance.model_validate(
            {SOURCE_ID: row.get(SOURCE_ID), RECORDED_AT: _aware(row.get(RECORDED_AT))})
        command = self.command.model_validate({k: v for k, v in row.items() if k not in (SOURCE_ID, RECORDED_AT)})
        self.check(command)
        if provenance.recorded_at is not None:
            if not self.keeps_recording_times:
                raise Rejected(RECORDED_AT, "only an admin's import keeps an earlier recording time (it changes "
                                            "figures already published); leave it empty to record the row now")
            if provenance.recorded_at > self.context.now():
                raise Rejected(RECORDED_AT, f"{provenance.recorded_at.astimezone(UTC).isoformat()} is in the future")
        return command, provenance

    def _context(self, provenance: "_Provenance") -> HandlerContext:
        if provenance.recorded_at is None:
            return self.context
        recorded_at = provenance.recorded_at.astimezone(UTC)
        return dataclasses.replace(self.context, now=lambda: recorded_at)

    async def _already_imported(self, uow: UnitOfWork, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """Of these (region, source id), the ones imported before, as such or as (BEFORE_KINDS, source id)."""
        t = self.imported_records
        found = set()
        for i in range(0, len(keys), 250):  # two parameters a key, well below every database's limit
            part = keys[i:i + 250]
            result = await uow.connection.execute(
                select(t.c.region, t.c[SOURCE_ID]).where(
                    t.c.kind.in_([self.command.__name__, BEFORE_KINDS]),
                    t.c[SOURCE_ID].in_({source_id for _, source_id in part})))
            found |= {(region, source_id) for region, source_id in result}
        return found


def _key(row: dict) -> tuple[str, str]:
    """(region, source id) as the row gives them: what identifies it among its kind's rows."""
    return str(row.get("region", "")).strip(), str(row.get(SOURCE_ID, "")).strip()


def _aware(value):
    """A recording time without an offset is taken as German local time, as old tools
    export it."""
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return value  # pydantic names the field and the reason
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=BERLIN)
    return value


def _row_errors(line: int, source_id: str | None, exc: Exception) -> list[RowError]:
    if isinstance(exc, Rejected):
        return [RowError(line=line, source_record_id=source_id, field=exc.field, reason=exc.reason)]
    return [RowError(line=line, source_record_id=source_id,
                     field=".".join(str(part) for part in error["loc"]) or "row", reason=error["msg"])
            for error in exc.errors()]


def _reject_row(report: ImportReport, line: int, source_id: str, exc: Exception) -> None:
    for error in _row_errors(line, source_id or None, exc):
        _reject(report, error, count=False)
    report.rejected += 1


def _reject(report: ImportReport, error: RowError, count: bool = True) -> None:
    report.errors.append(error)
    if count:
        report.rejected += 1
