"""`iq-reporting rebuild`: the projection from zero. Clears the figures, the record states and
the ledger, then reads every topic from its earliest offset up to the end offsets at the
start of the rebuild, in batches (memory stays bounded), and stops. Stop `serve` first.

A rebuild that is interrupted leaves a consistent, partial projection (each batch commits
with its offsets): `serve` or another `rebuild` carries on from there, the latter from zero."""

import asyncio
import sys

from sqlalchemy import delete

from iq_runtime.migrations import upgrade_before_serving

from .bootstrap import MIGRATIONS, Settings, projecting, projection_consumer
from .store import PROJECTION, applied_events, partition_offsets


async def rebuild(settings: Settings, progress=None) -> int:
    """Returns the number of records read."""
    upgrade_before_serving(MIGRATIONS, settings.database)
    async with projecting(settings) as runtime:
        async with runtime.sessions.begin() as session:
            for table in (*PROJECTION, applied_events, partition_offsets):
                await session.execute(delete(table))
        return await projection_consumer(runtime).catch_up(progress)


def add_command(commands) -> None:
    command = commands.add_parser("rebuild", help="rebuild the figures from every topic's earliest offset")
    command.set_defaults(run=_run)


def _run(settings: Settings, _args) -> int:
    from tqdm import tqdm

    with tqdm(unit="event", desc="rebuild", file=sys.stderr) as bar:
        read = asyncio.run(rebuild(settings, bar))
    print(f"rebuilt from {read} events", file=sys.stderr)
    return 0
