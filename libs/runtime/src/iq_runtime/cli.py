"""The command line every service process has: `serve`, `migrate` and, for recording
services, `replay` (publish the whole event log again)."""

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path

from .settings import ServiceSettings


def service_cli(*, settings: Callable[[], ServiceSettings], build_app: Callable, migrations_dir: Path,
                default_port: int, outbox_table=None, extra: Callable | None = None) -> Callable[[], int]:
    def main(argv: list[str] | None = None) -> int:
        parser = argparse.ArgumentParser(prog=f"iq-{settings().service}")
        commands = parser.add_subparsers(dest="command", required=True)
        serve = commands.add_parser("serve", help="run the HTTP API and background workers")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=default_port)
        commands.add_parser("migrate", help="upgrade the database to the newest schema")
        if outbox_table is not None:
            commands.add_parser("replay", help="publish every recorded event again, in order")
        if extra:
            extra(commands)
        args = parser.parse_args(argv)
        current = settings()
        if args.command == "serve":
            import uvicorn

            uvicorn.run(build_app(current), host=args.host, port=args.port, log_config=None)
        elif args.command == "migrate":
            from .migrations import upgrade

            upgrade(migrations_dir, current.database)
        elif args.command == "replay":
            print(f"{asyncio.run(_replay(current, outbox_table))} events queued for publication")
        else:
            return args.run(current, args)
        return 0

    return main


async def _replay(settings: ServiceSettings, outbox_table) -> int:
    from .database import create_engine, session_factory
    from .outbox import replay

    engine = create_engine(settings.database)
    try:
        return await replay(session_factory(engine), outbox_table)
    finally:
        await engine.dispose()
