from iq_runtime.cli import service_cli

from .bootstrap import MIGRATIONS, Settings, build_app

main = service_cli(settings=Settings, build_app=build_app, migrations_dir=MIGRATIONS, default_port=8005)
