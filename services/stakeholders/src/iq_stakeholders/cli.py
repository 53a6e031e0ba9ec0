from iq_runtime.cli import service_cli

from . import handlers
from .bootstrap import MIGRATIONS, Settings, build_app
from .commands import RecordActivity, RecordConsultation
from .store import tables

main = service_cli(settings=Settings, build_app=build_app, migrations_dir=MIGRATIONS, default_port=8003,
                   tables=tables, importers={"activities": (RecordActivity, handlers.add_activity),
                                             "consultations": (RecordConsultation, handlers.add_consultation)})
