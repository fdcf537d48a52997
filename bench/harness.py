"""Measuring a Textual app from inside its process: when a frame shows what we wait for.

"Drawn" means the first frame the compositor renders (the headless driver skips
only the terminal write) in which a check holds; ``Frames`` catches it by
wrapping ``App._display``.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

TIMEOUT = 120.0


class Frames:
    """Wraps ``app._display``: calls ``check`` after every rendered frame, keeps when it held."""

    def __init__(self, app) -> None:
        self.check: Callable[[], bool] | None = None
        self.hit: float | None = None
        self.extra: list[Callable[[], None]] = []  # called after every frame (for side checks)
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            for watcher in self.extra:
                watcher()
            if self.check is not None and self.hit is None:
                try:
                    ok = self.check()
                except Exception:  # noqa: BLE001  (a screen not mounted yet, a widget not there)
                    ok = False
                if ok:
                    self.hit = time.perf_counter()

        app._display = display

    def arm(self, check: Callable[[], bool]) -> None:
        self.check, self.hit = check, None

    async def wait(self, started: float, timeout: float = TIMEOUT) -> float | None:
        """Seconds from ``started`` to the frame where the check held (None: it never did)."""
        deadline = time.perf_counter() + timeout
        while self.hit is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.0005)
        hit, self.check = self.hit, None
        return None if hit is None else hit - started


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    ``ru_maxrss``, except on Linux, where it survives fork and exec (a child starts
    with its parent's peak): there the kernel's own high-water mark of this
    process image, ``VmHWM``, which is the same number without the inheritance.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


async def settle(pilot) -> None:
    """Wait until the app has nothing left to do (workers done, messages handled)."""
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_rows(pane) -> bool:
    """Every row in view of an ItemList is loaded (none is a placeholder)."""
    from coup_explorer.tui.rows import ROW_HEIGHT

    if pane.pending:
        return False
    height = ROW_HEIGHT[pane.kind]
    top = int(pane.scroll_offset.y) // height
    bottom = (int(pane.scroll_offset.y) + pane.scrollable_content_region.height) // height
    return all(pane._item_at(row) is not None for row in range(top, min(bottom, pane.count)))
