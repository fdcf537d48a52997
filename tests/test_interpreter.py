"""The interpreter's settings for a large import, changed and then set back as they were."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from coup_explorer.db.interpreter import SWITCH_INTERVAL, collector_paused, switching_often


@pytest.fixture(autouse=True)
def as_found() -> object:
    interval, collecting = sys.getswitchinterval(), gc.isenabled()
    yield
    sys.setswitchinterval(interval)
    (gc.enable if collecting else gc.disable)()


def test_blocks_that_overlap_leave_each_setting_as_it_was_before_the_first() -> None:
    """Two imports in two threads end in either order: the settings stay changed until the
    last ends, then are as they were before the first began."""
    gc.enable()
    sys.setswitchinterval(0.005)
    first, second = switching_often(), switching_often()
    paused, paused_too = collector_paused(), collector_paused()
    for block in (first, paused, second, paused_too):
        block.__enter__()
    assert sys.getswitchinterval() == SWITCH_INTERVAL and not gc.isenabled()
    first.__exit__(None, None, None)
    paused.__exit__(None, None, None)
    assert sys.getswitchinterval() == SWITCH_INTERVAL and not gc.isenabled()  # second still runs
    second.__exit__(None, None, None)
    paused_too.__exit__(None, None, None)
    assert sys.getswitchinterval() == 0.005 and gc.isenabled()


def test_a_setting_off_before_stays_off_and_a_shorter_interval_stays_shorter() -> None:
    gc.disable()
    sys.setswitchinterval(0.0005)
    with collector_paused(), switching_often():
        assert sys.getswitchinterval() == pytest.approx(0.0005) and not gc.isenabled()
    assert sys.getswitchinterval() == pytest.approx(0.0005) and not gc.isenabled()


def test_blocks_in_threads_at_once_leave_the_settings_as_they_were() -> None:
    gc.enable()
    sys.setswitchinterval(0.005)
    inside = threading.Barrier(4)

    def work() -> None:
        with collector_paused(), switching_often():
            inside.wait(timeout=10)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sys.getswitchinterval() == 0.005 and gc.isenabled()
