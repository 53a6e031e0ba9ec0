"""Python's cyclic garbage collector, paused while a projection window is open.

A window holds thousands of decoded events, their record states and the rows they become,
all alive until it commits. The collector runs every 700 net allocations; what survives is
promoted and walked again by every older collection, and every full one walks all the
process's long-lived objects too, so during a backlog it walked the same objects over and
over: a rebuild of 100,000 events took 26-31 s with it, 21-22 s without (bench/README.md).
The windows make no reference cycles (a few dozen objects a window, checked with
`gc.DEBUG_SAVEALL`): reference counting frees them when the window ends, and the collector,
running again, walks only what survived. Cycles made meanwhile wait at most one window.

Process-wide (the collector is): while any thread holds a window open it stays off, and it
is switched on again only if it was on before the first one."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
