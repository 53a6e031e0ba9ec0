"""A coroutine on a thread of its own: it runs beside a blocked-looking caller, returns and
raises through the await, and a cancel reaches it and waits for its cleanup."""

import asyncio
import threading

import pytest

from iq_runtime.own_thread import in_own_thread


async def test_returns_what_the_coroutine_returns_from_another_thread():
    async def main():
        await asyncio.sleep(0)
        return threading.current_thread().name

    assert await in_own_thread(main, "worker") == "worker"


async def test_raises_what_the_coroutine_raises():
    async def main():
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        await in_own_thread(main, "worker")


async def test_the_callers_loop_keeps_running_while_the_coroutine_blocks_its_own():
    release = threading.Event()

    async def main():
        release.wait(10)  # holds its loop, as a long SQLite window does
        return release.is_set()

    work = asyncio.create_task(in_own_thread(main, "worker"))
    await asyncio.sleep(0.05)
    assert not work.done()
    release.set()  # only reachable because this loop was not blocked
    assert await work is True


async def test_cancel_reaches_the_coroutine_and_waits_for_its_cleanup():
    entered, cleaned = threading.Event(), []

    async def main():
        try:
            entered.set()
            await asyncio.sleep(60)
        finally:
            await asyncio.sleep(0.05)  # e.g. closing its connections
            cleaned.append(threading.current_thread().name)

    work = asyncio.create_task(in_own_thread(main, "worker"))
    await asyncio.to_thread(entered.wait, 5)
    work.cancel()
    with pytest.raises(asyncio.CancelledError):
        await work
    assert cleaned == ["worker"]


async def test_a_second_cancel_stops_the_waiting_and_the_thread_still_finishes(monkeypatch):
    entered, cleaned, thread_errors = threading.Event(), threading.Event(), []
    monkeypatch.setattr(threading, "excepthook", thread_errors.append)

    async def main():
        try:
            entered.set()
            await asyncio.sleep(60)
        finally:
            await asyncio.sleep(0.2)  # a cleanup longer than the caller will wait
            cleaned.set()

    work = asyncio.create_task(in_own_thread(main, "worker"))
    await asyncio.to_thread(entered.wait, 5)
    work.cancel()
    await asyncio.sleep(0.05)  # waiting for the cleanup now
    work.cancel()  # as a bounded shutdown does when its time is up
    with pytest.raises(asyncio.CancelledError):
        await work
    assert not cleaned.is_set()  # it did not wait for it
    assert await asyncio.to_thread(cleaned.wait, 5)
    await asyncio.sleep(0.05)  # the thread sets its futures after the cleanup
    assert thread_errors == []
