"""Bootstrap of a recording service (counselling, training, stakeholders, fair integration):
handlers get a unit of work bound to the outbox, and the relay runs beside the HTTP app."""

from functools import partial
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from pydantic import Field, SecretStr
from sqlalchemy import Table

from . import telemetry
from .context import HandlerContext
from .outbox import Outbox, OutboxRelay
from .pseudonym import person_ref
from .service import Runtime, connect, create_app
from .settings import ServiceSettings
from .unit_of_work import UnitOfWork


class RecordingSettings(ServiceSettings):
    # The key of the person pseudonyms; one per region, shared by that region's services.
    pseudonym_secret: SecretStr = Field(SecretStr("iq-local-pseudonym-secret"), validation_alias="IQ_PSEUDONYM_SECRET")


class Recording:
    def __init__(self, runtime: Runtime, outbox_table: Table, unit_of_work: type[UnitOfWork]) -> None:
        settings: RecordingSettings = runtime.settings
        self.runtime = runtime
        self.outbox = Outbox(outbox_table, settings.service)
        self.relay = OutboxRelay(runtime.sessions, outbox_table, runtime.broker)
        self._unit_of_work = unit_of_work
        secret = settings.pseudonym_secret.get_secret_value().encode()
        self.context = HandlerContext(region=settings.region, pseudonymise=partial(person_ref, secret=secret))

    def unit_of_work(self) -> UnitOfWork:
        return self._unit_of_work(self.runtime.sessions, self.outbox, on_commit=self.relay.wake)


def recording_app(settings: RecordingSettings, *, title: str, migrations_dir: Path, outbox_table: Table,
                  unit_of_work: type[UnitOfWork], routers) -> FastAPI:
    telemetry.configure(settings.service, settings.region, settings.log_level)
    runtime = connect(settings)
    recording = Recording(runtime, outbox_table, unit_of_work)
    app = create_app(runtime, title=title, migrations_dir=migrations_dir,
                     start=lambda _: [recording.relay.run()], routers=routers)
    app.state.recording = recording
    return app


def _recording(request: Request) -> Recording:
    return request.app.state.recording


RecordingDep = Annotated[Recording, Depends(_recording)]
