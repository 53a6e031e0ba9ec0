from iq_runtime.cli import service_cli

from .bootstrap import MIGRATIONS, Settings, build_app
from .rebuild import add_command

main = service_cli(settings=Settings, build_app=build_app, migrations_dir=MIGRATIONS, default_port=8005,
                   extra=add_command)
