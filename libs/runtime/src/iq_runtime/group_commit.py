"""Group commit of SQLite write transactions: the writers that finish within one turn of
the event loop share one transaction and one COMMIT.

The COMMIT is the dearest single step of a recording on SQLite (every page the transaction
touched is appended to the write-ahead log, a system call or two each). The writers of a
process take turns anyway (SQLite has one writer at a time); under load several finish in
one turn of the loop. Each runs in a SAVEPOINT of the group's transaction and hands its
turn to the next writer; at the next turn of the loop, with no writer inside, the group
commits and every member's `commit()` returns. So `commit()` still returns only once the
member's rows are committed, and raises if the group's COMMIT failed (then no member's
rows were stored). A member that leaves without committing rolls back its savepoint only."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from sqlalchemy import Connection

from .sqlite_connection import OnLoopConnection


class _Group:
    def __init__(self, connection: Connection, committed: asyncio.Future) -> None:
        self.connection = connection  # in a transaction begun with BEGIN IMMEDIATE
        self.driver = connection.connection.driver_connection
        self.committed = committed
        self.released = 0  # members whose rows wait for the COMMIT

    def finish(self, failure: BaseException | None = None) -> None:
        """COMMIT (or, given a failure, roll back) and tell the members."""
        if failure is None and self.released:
            try:
                self.driver.commit()
            except Exception as exc:  # noqa: BLE001 - handed to every member
                failure = exc
        with contextlib.suppress(Exception):
            self.connection.close()  # rolls back whatever is left; a no-op after the COMMIT
        if failure is not None and self.released:
            self.committed.set_exception(failure)
        else:
            self.committed.set_result(None)


class Member(OnLoopConnection):
    """One writer's part of a group: its statements run inside its own savepoint."""

    def __init__(self, writers: "GroupCommit", group: _Group) -> None:
        super().__init__(group.connection)
        self._writers = writers
        self._group = group
        self._savepoint = self.begin_savepoint()
        self._left = False

    async def commit(self) -> None:
        group = self._group
        self._savepoint.release()
        group.released += 1
        self.leave()
        await asyncio.shield(group.committed)  # a cancelled member must not cancel the others

    async def rollback(self) -> None:
        self.leave()

    def leave(self) -> None:
        """Give the turn to the next writer; anything not committed is rolled back."""
        if self._left:
            return
        self._left = True
        self.sync_connection = None  # nothing may run on the group's connection any more
        failure = self._savepoint.discard()
        self._writers.left(self._group, failure)


class GroupCommit:
    """Turns of the writers of one database, and the open group they join."""

    def __init__(self, begin: Callable[[], Awaitable[Connection]]) -> None:
        self._begin = begin  # a connection in a new write transaction
        self._loop: asyncio.AbstractEventLoop | None = None
        self._group: _Group | None = None

    @contextlib.asynccontextmanager
    async def member(self) -> AsyncIterator[Member]:
        self._bind_to_running_loop()
        if self._holder is not None and self._holder is asyncio.current_task():
            # it would wait for itself for ever
            raise RuntimeError("this task is inside a write transaction already; pass its unit of work on")
        await self._turn.acquire()
        self._holder = asyncio.current_task()
        try:
            if self._group is None:
                self._group = _Group(await self._begin(), self._loop.create_future())
            member = Member(self, self._group)
        except BaseException as exc:
            if self._group is not None:  # its connection failed: the group ends here
                self._end_group(exc)
            self._give_turn()
            raise
        try:
            yield member
        finally:
            member.leave()

    def left(self, group: _Group, failure: BaseException | None) -> None:
        if failure is not None:  # the transaction itself is gone: the group ends with it
            self._end_group(failure)
        self._give_turn()
        if self._group is not None and not self._commit_scheduled:
            self._commit_scheduled = True
            self._loop.call_soon(self._commit)

    def _give_turn(self) -> None:
        self._holder = None
        self._turn.release()

    def _commit(self) -> None:
        self._commit_scheduled = False
        if self._turn.locked() or self._group is None:
            return  # a writer is inside: it schedules the commit again when it leaves
        self._end_group()

    def _end_group(self, failure: BaseException | None = None) -> None:
        group, self._group = self._group, None
        group.finish(failure)

    def _bind_to_running_loop(self) -> None:
        # the turn and the group's future belong to one event loop; tests run several in turn
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            if self._group is not None:  # left open by a loop that stopped: give its write lock back
                with contextlib.suppress(Exception):
                    self._group.connection.close()
            self._loop, self._turn, self._group, self._commit_scheduled = loop, asyncio.Lock(), None, False
            self._holder: asyncio.Task | None = None

