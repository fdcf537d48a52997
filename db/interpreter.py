"""The Python interpreter's settings for a large piece of work, and then as they were.

An import makes hundreds of thousands of short-lived rows and records, none of them
in a cycle: the cycle collector, which runs every few hundred new container objects
(a tuple, a dict holding one) and now and then goes over everything the process
holds, finds nothing (for part-000 of the bench corpus, 670 collections and about
0.16 s of a 3.9 s import). Paused, objects are freed as always when the last
reference goes; only a cycle made meanwhile waits for the collector to run again.

The same import writes in a thread while the main thread reads (``Bulk._later``).
The writing thread gives up Python's lock for each SQLite statement and needs it
back after; the main thread, busy in Python, keeps it for up to the switch interval
(5 ms unless set). A shorter one lets the writer go on sooner: part-000's import
against the baseline run beside it, 1.26-1.28x -> 1.20-1.21x at 1 ms (8 and 5 pairs).
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Generic, TypeVar

SWITCH_INTERVAL = 0.001  # seconds: see above (2 ms gave 1.23x, 0.5 ms 1.23x)

T = TypeVar("T")


class _Setting(Generic[T]):
    """A setting of the interpreter, changed while any block needs it changed (in any thread)
    and set back to what it was before the first of them once the last one ends."""

    def __init__(self, read: Callable[[], T], write: Callable[[T], object]) -> None:
        self.read, self.write = read, write
        self.lock = threading.Lock()
        self.blocks = 0
        self.before: T | None = None

    @contextmanager
    def changed(self, to: Callable[[T], T]) -> Iterator[None]:
        """Run the block with the setting at ``to(what it was before)``."""
        with self.lock:
            if self.blocks == 0:
                self.before = self.read()
            self.blocks += 1
            self.write(to(self.before))  # type: ignore[arg-type]
        try:
            yield
        finally:
            with self.lock:
                self.blocks -= 1
                if self.blocks == 0:
                    self.write(self.before)  # type: ignore[arg-type]


_COLLECTING = _Setting(gc.isenabled, lambda on: gc.enable() if on else gc.disable())
_SWITCHING = _Setting(sys.getswitchinterval, sys.setswitchinterval)


def collector_paused() -> AbstractContextManager[None]:
    """Run the block with the cycle collector off, then as it was."""
    return _COLLECTING.changed(lambda _: False)


def switching_often(interval: float = SWITCH_INTERVAL) -> AbstractContextManager[None]:
    """Run the block with threads switched at least every ``interval`` seconds (never less
    often than they were), then as before."""
    return _SWITCHING.changed(lambda before: min(before, interval))
