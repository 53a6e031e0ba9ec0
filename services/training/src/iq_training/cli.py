from iq_runtime.cli import service_cli

from . import handlers
from .bootstrap import MIGRATIONS, Settings, build_app
from .commands import CompleteEnrolment, EnrolParticipant, OpenScheme
from .store import tables

main = service_cli(settings=Settings, build_app=build_app, migrations_dir=MIGRATIONS, default_port=8002,
                   tables=tables, importers={"schemes": (OpenScheme, handlers.add_scheme),
                                             "enrolments": (EnrolParticipant, handlers.add_enrolment),
                                             "completions": (CompleteEnrolment, handlers.add_completion)})
