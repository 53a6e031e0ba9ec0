"""Bootstrap of a recording service (counselling, training, stakeholders, fair integration):
handlers get a unit of work bound to the outbox, the relay runs beside the HTTP app, and
bulk imports (over HTTP or from the command line) go through the same handlers."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from pydantic import BaseModel, Field, SecretStr
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import async_sessionmaker

from iq_contracts.regions import NATIONAL

from . import telemetry
from .auth import Principal, Recorder, Role
from .bulk_import import Apply, Format, Importer, ImportReport
from .context import HandlerContext
from .errors import Forbidden, Rejected
from .outbox import Outbox, OutboxRelay
from .pseudonym import person_ref
from .service import connect, create_app
from .settings import ServiceSettings
from .unit_of_work import UnitOfWork


class RecordingSettings(ServiceSettings):
    # The secret of the person pseudonyms, shared by a region's services; a national instance
    # derives each region's key from it (pseudonym.py).
    pseudonym_secret: SecretStr = Field(SecretStr("iq-local-pseudonym-secret"), validation_alias="IQ_PSEUDONYM_SECRET")


@dataclass(frozen=True)
class RecordingTables:
    """What every recording service's database has besides its domain tables."""

    outbox: Table
    imported_records: Table
    unit_of_work: type[UnitOfWork]


class Recording:
    def __init__(self, settings: RecordingSettings, sessions: async_sessionmaker, tables: RecordingTables,
                 on_commit: Callable[[], None] = lambda: None) -> None:
        self.sessions = sessions
        self.tables = tables
        self.outbox = Outbox(tables.outbox, settings.service)
        self._on_commit = on_commit
        secret = settings.pseudonym_secret.get_secret_value().encode()
        self.context = HandlerContext(region=settings.region, pseudonymise=partial(
            person_ref, secret=secret, per_region=settings.region == NATIONAL))

    def unit_of_work(self) -> UnitOfWork:
        return self.tables.unit_of_work(self.sessions, self.outbox, on_commit=self._on_commit)

    def importer(self, command: type[BaseModel], apply: Apply,
                 check: Callable[[BaseModel], None] = lambda _command: None,
                 keeps_recording_times: bool = True) -> Importer:
        return Importer(command=command, apply=apply, unit_of_work=self.unit_of_work,
                        imported_records=self.tables.imported_records, context=self.context, check=check,
                        keeps_recording_times=keeps_recording_times)


def recording_app(settings: RecordingSettings, *, title: str, migrations_dir: Path, tables: RecordingTables,
                  routers) -> FastAPI:
    telemetry.configure(settings.service, settings.region, settings.log_level)
    runtime = connect(settings)
    relay = OutboxRelay(runtime.sessions, tables.outbox, runtime.broker)
    recording = Recording(settings, runtime.sessions, tables, on_commit=relay.wake)
    app = create_app(runtime, title=title, migrations_dir=migrations_dir, start=lambda _: [relay.run()],
                     routers=routers)
    app.state.recording = recording
    return app


async def _recording(request: Request) -> Recording:
    return request.app.state.recording


RecordingDep = Annotated[Recording, Depends(_recording)]


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """The model as JSON, skipping FastAPI's second validation of a model the route built
    itself (keep `response_model=` on the route for the OpenAPI description)."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


def ensure_may_record(principal: Principal, region: str) -> None:
    if not principal.may_see(region):
        raise Forbidden("region", f"your token records for {principal.region}, not {region}")


_FORMATS = {"text/csv": "csv", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
            "application/json-lines": "jsonl"}


def import_route(router: APIRouter, path: str, *, command: type[BaseModel], apply: Apply, what: str) -> None:
    """`POST path`: a CSV (`text/csv`) or JSON-lines (`application/x-ndjson`) file in the body;
    answers with the import report. Rows for another region than the token's are refused, and
    so is a row's own `recorded_at` unless the token is an admin's."""

    @router.post(path, response_model=ImportReport, summary=f"bulk import of {what}",
                 operation_id=f"import_{what.replace(' ', '_')}",
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "text/csv": {"schema": {"type": "string"}},
                     "application/x-ndjson": {"schema": {"type": "string"}}}}})
    async def bulk_import(
        request: Request, principal: Recorder, recording: RecordingDep,
        format: Annotated[Format | None, Query(description="csv or jsonl; default: the content type")] = None,  # noqa: A002
    ) -> ImportReport:
        fmt = format or _FORMATS.get(request.headers.get("content-type", "").split(";")[0].strip())
        if fmt is None:
            raise Rejected("format", "send text/csv or application/x-ndjson, or say ?format=csv|jsonl")
        importer = recording.importer(command, apply, check=lambda cmd: ensure_may_record(principal, cmd.region),
                                      keeps_recording_times=principal.role is Role.ADMIN)
        return await importer.run(await request.body(), fmt)
