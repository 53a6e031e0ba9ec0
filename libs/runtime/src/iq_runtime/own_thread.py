"""A coroutine run in an event loop of its own, on a thread of its own.

For work that holds its loop for long stretches next to an HTTP app that must keep
answering: the projection's SQLite driver runs each statement on its loop's thread, and a
backlog window (then 20,000 events) held the reporting service's loop for 1-4 s, so a figures
request during a catch-up waited that long (bench/README.md). On a thread of its own the
window takes turns with the requests for the interpreter: sqlite3 lets go of it while
SQLite works, and Python hands it over after 5 ms of holding.

The coroutine must make its own connections (engine, Kafka clients): they belong to the loop
that made them."""

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any


async def in_own_thread(main: Callable[[], Coroutine[Any, Any, Any]], name: str) -> Any:
    """Run `main()` on a new thread's event loop and return (or raise) what it does.
    Cancelling this cancels `main()` in its loop and waits until it has finished (its
    `finally` blocks close its connections), then raises CancelledError. A second cancel
    stops the waiting (a bounded shutdown gives up): the thread still finishes on its own."""
    started: concurrent.futures.Future = concurrent.futures.Future()
    finished: concurrent.futures.Future = concurrent.futures.Future()

    async def body() -> Any:
        started.set_result((asyncio.get_running_loop(), asyncio.current_task()))
        return await main()

    def run() -> None:
        # running futures can no longer be cancelled: cancelling a wait here must not
        # cancel them under the thread, which still sets them
        started.set_running_or_notify_cancel()
        finished.set_running_or_notify_cancel()
        try:
            finished.set_result(asyncio.run(body()))
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            if not started.done():  # the loop never ran `body`
                started.set_exception(exc)
            finished.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    done = asyncio.wrap_future(finished)
    done.add_done_callback(lambda f: f.cancelled() or f.exception())  # read, even when nobody waits any more
    try:
        # shielded: only `done` tells when the thread has finished, whatever is cancelled here
        return await asyncio.shield(done)
    except asyncio.CancelledError:
        with contextlib.suppress(BaseException):  # a loop that already stopped needs no cancel
            loop, task = await asyncio.shield(asyncio.wrap_future(started))
            loop.call_soon_threadsafe(task.cancel)
        with contextlib.suppress(BaseException):
            await asyncio.shield(done)
        raise
