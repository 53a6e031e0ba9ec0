"""Bulk import from an older tool: CSV or JSON lines, one record per row.

Every row is validated as the command it stands for and recorded by the same code as a
single request. Valid rows are imported, invalid rows are reported (line, field, reason);
a row's domain rows, events and source id commit together or not at all (a savepoint per
row, a transaction per chunk). Re-importing a file changes nothing: each row carries the
`source_record_id` it had in the old tool, and a source id is recorded only once.

A migration keeps each row's original `recorded_at` (the handler sees it as "now"), so the
figures as of a historic reference date come out as they were; without it the server time
is used, as for ordinary recording."""

import csv
import dataclasses
import io
import json
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, ValidationError
from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, select

from iq_contracts.base import IntegrationEvent

from .context import BERLIN, HandlerContext
from .errors import Rejected
from .unit_of_work import UnitOfWork

SOURCE_ID = "source_record_id"
RECORDED_AT = "recorded_at"
CHUNK_ROWS = 500
Format = Literal["csv", "jsonl"]

# `apply` records one command inside an open unit of work (no commit) and returns the event
# it published; it raises `Rejected` before writing anything it refuses.
Apply = Callable[[BaseModel, UnitOfWork, HandlerContext], Awaitable[IntegrationEvent]]


def imported_records_table(metadata: MetaData) -> Table:
    return Table(
        "imported_records",
        metadata,
        Column(SOURCE_ID, String(200), primary_key=True),
        Column("record_id", String(200), nullable=False),
        Column("imported_at", DateTime(timezone=True), nullable=False),
    )


def create_imported_records_table(op) -> None:
    """For the migration that introduces bulk import in a service."""
    imported_records_table(MetaData()).create(op.get_bind())


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


def read_rows(content: bytes, fmt: Format) -> Iterator[tuple[int, dict | RowError]]:
    """(line number, row) pairs. CSV headers with dots nest (`occupation.code`); empty
    cells are left out so that defaults apply. A line that cannot be read is a RowError."""
    text = content.decode("utf-8-sig")
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        for row in reader:
            if None in row:
                yield reader.line_num, RowError(line=reader.line_num, source_record_id=None, field="row",
                                                reason="more cells than the header has columns")
                continue
            yield reader.line_num, _nested({k: v for k, v in row.items() if v not in ("", None)})
        return
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
    chunk_rows: int = CHUNK_ROWS

    async def run(self, content: bytes, fmt: Format,
                  progress: Callable[[int], None] = lambda _rows: None) -> ImportReport:
        """`progress` is called with the number of rows read since its last call."""
        report = ImportReport()
        seen: dict[str, int] = {}
        chunk: list[tuple[int, dict]] = []
        reported = 0
        for line, row in read_rows(content, fmt):
            report.rows += 1
            source_id = "" if isinstance(row, RowError) else str(row.get(SOURCE_ID, "")).strip()
            if isinstance(row, RowError):
                _reject(report, row)
            elif source_id in seen:
                _reject(report, RowError(line=line, source_record_id=source_id, field=SOURCE_ID,
                                         reason=f"appears twice in this file (first on line {seen[source_id]})"))
            else:
                if source_id:
                    seen[source_id] = line
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
        async with self.unit_of_work() as uow:
            known = await self._already_imported(uow, [str(row.get(SOURCE_ID, "")).strip() for _, row in chunk])
            imported = []
            for line, row in chunk:
                source_id = str(row.get(SOURCE_ID, "")).strip()
                if source_id in known:
                    report.already_imported += 1
                    continue
                staged = len(uow.events)
                savepoint = await uow.connection.begin_nested()
                try:
                    event = await self._import_row(row, uow)
                except (ValidationError, Rejected) as exc:
                    await savepoint.rollback()
                    del uow.events[staged:]
                    for error in _row_errors(line, source_id or None, exc):
                        _reject(report, error, count=False)
                    report.rejected += 1
                    continue
                await savepoint.commit()
                imported.append({SOURCE_ID: source_id, "record_id": event.aggregate_id,
                                 "imported_at": datetime.now(UTC)})
            if imported:
                await uow.connection.execute(insert(self.imported_records), imported)
            await uow.commit()
        report.imported += len(imported)

    async def _import_row(self, row: dict, uow: UnitOfWork) -> IntegrationEvent:
        provenance = _Provenance.model_validate(
            {SOURCE_ID: row.get(SOURCE_ID), RECORDED_AT: _aware(row.get(RECORDED_AT))})
        command = self.command.model_validate({k: v for k, v in row.items() if k not in (SOURCE_ID, RECORDED_AT)})
        self.check(command)
        context = self.context
        if provenance.recorded_at is not None:
            recorded_at = provenance.recorded_at.astimezone(UTC)
            if recorded_at > context.now():
                raise Rejected(RECORDED_AT, f"{recorded_at.isoformat()} is in the future")
            context = dataclasses.replace(context, now=lambda: recorded_at)
        return await self.apply(command, uow, context)

    async def _already_imported(self, uow: UnitOfWork, source_ids: list[str]) -> set[str]:
        column = self.imported_records.c[SOURCE_ID]
        result = await uow.connection.execute(select(column).where(column.in_([s for s in source_ids if s])))
        return set(result.scalars())


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


def _reject(report: ImportReport, error: RowError, count: bool = True) -> None:
    report.errors.append(error)
    if count:
        report.rejected += 1
