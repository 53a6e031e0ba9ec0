"""The command line every service process has: `serve`, `migrate` and, for recording
services, `replay` (publish the whole event log again) and `import` (bulk import a file)."""

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from .bulk_import import Apply
from .settings import ServiceSettings

Importers = dict[str, tuple[type[BaseModel], Apply]]


def service_cli(*, settings: Callable[[], ServiceSettings], build_app: Callable, migrations_dir: Path,
                default_port: int, tables=None, importers: Importers | None = None,
                extra: Callable | None = None) -> Callable[[], int]:
    """`tables` (a `RecordingTables`) makes it a recording service with replay and import."""

    def main(argv: list[str] | None = None) -> int:
        parser = argparse.ArgumentParser(prog=f"iq-{settings().service}")
        commands = parser.add_subparsers(dest="command", required=True)
        serve = commands.add_parser("serve", help="run the HTTP API and background workers")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=default_port)
        commands.add_parser("migrate", help="upgrade the database to the newest schema")
        if tables is not None:
            commands.add_parser("replay", help="publish every recorded event again, in order")
        if importers:
            bulk = commands.add_parser("import", help="import records from a CSV or JSON-lines file")
            bulk.add_argument("kind", choices=sorted(importers))
            bulk.add_argument("file", type=Path)
            bulk.add_argument("--format", choices=["csv", "jsonl"], help="default: from the file name")
            bulk.add_argument("--errors", type=Path, help="write the rejected rows' errors here (CSV)")
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
            print(f"{asyncio.run(_replay(current, tables.outbox))} events queued for publication")
        elif args.command == "import":
            return asyncio.run(_import(current, tables, migrations_dir, importers[args.kind], args))
        else:
            return args.run(current, args)
        return 0

    return main


async def _replay(settings: ServiceSettings, outbox_table) -> int:
    from .database import create_engine, dispose, session_factory
    from .outbox import replay

    engine = create_engine(settings.database)
    try:
        return await replay(session_factory(engine), outbox_table)
    finally:
        await dispose(engine)


async def _import(settings, tables, migrations_dir: Path, importer: tuple, args) -> int:
    """Imports straight into the service's database; the service's relay (running now or
    started later) publishes the events from the outbox."""
    import csv

    from tqdm import tqdm

    from .bulk_import import read_rows
    from .database import create_engine, dispose, session_factory
    from .errors import Rejected
    from .migrations import upgrade
    from .recording import Recording

    fmt = args.format or ("jsonl" if args.file.suffix in (".jsonl", ".ndjson") else "csv")
    content = args.file.read_bytes()
    try:
        rows = len(read_rows(content, fmt))
    except Rejected as exc:
        print(f"{args.file}: {exc.reason}", file=sys.stderr)
        return 2
    upgrade(migrations_dir, settings.database)
    engine = create_engine(settings.database)
    command, apply = importer
    try:
        recording = Recording(settings, session_factory(engine), tables)
        with tqdm(total=rows, unit="row", desc=args.kind) as bar:
            report = await recording.importer(command, apply).run(content, fmt, progress=bar.update)
    finally:
        await dispose(engine)
    print(f"{report.rows} rows: {report.imported} imported, {report.already_imported} already imported, "
          f"{report.rejected} rejected", file=sys.stderr)
    if args.errors:
        with args.errors.open("w", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=["line", "source_record_id", "field", "reason"])
            writer.writeheader()
            writer.writerows(error.model_dump() for error in report.errors)
    else:
        for error in report.errors:
            print(f"line {error.line}: {error.field}: {error.reason}", file=sys.stderr)
    return 1 if report.rejected else 0
