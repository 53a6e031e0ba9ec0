from iq_runtime.cli import service_cli

from . import handlers
from .bootstrap import MIGRATIONS, Settings, build_app
from .commands import OpenContactPoint, RecordAdviceSession
from .store import tables

main = service_cli(settings=Settings, build_app=build_app, migrations_dir=MIGRATIONS, default_port=8001,
                   tables=tables, importers={"advice-sessions": (RecordAdviceSession, handlers.add_advice_session),
                                          "contact-points": (OpenContactPoint, handlers.add_contact_point)})
