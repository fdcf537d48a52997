"""SVG snapshots of the explorer at 80x24 and 160x45 (Textual is pinned in the test extras).

Regenerate with ``pytest tests/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from coup_explorer.tui.app import ExplorerApp

WIDE = (160, 45)
NARROW = (80, 24)


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def steps(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return run_before


@pytest.fixture
def app(story_path: Path, monkeypatch: pytest.MonkeyPatch) -> ExplorerApp:
    monkeypatch.chdir("/")  # the export dialog's default path is in the current directory
    return ExplorerApp(story_path)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x45", "80x24"])
def test_main_view(snap_compare, app: ExplorerApp, size) -> None:
    assert snap_compare(app, terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x45", "80x24"])
def test_search_shows_the_bracketed_quote(snap_compare, app: ExplorerApp, size) -> None:
    assert snap_compare(app, terminal_size=size,
                        run_before=steps("slash", *"introduction", "enter", "space"))


def test_actor_chosen_narrow(snap_compare, app: ExplorerApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=steps("2", "down", "f", "1"))


def test_event_chosen_wide(snap_compare, app: ExplorerApp) -> None:
    assert snap_compare(app, terminal_size=WIDE, run_before=steps("1", "end", "f", "2"))


def test_source_view(snap_compare, app: ExplorerApp) -> None:
    assert snap_compare(app, terminal_size=WIDE,
                        run_before=steps("slash", *"introduction", "enter", "enter"))


def test_help(snap_compare, app: ExplorerApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=steps("question_mark"))


def test_export_dialog(snap_compare, app: ExplorerApp) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("e")
        for _ in range(5):
            await pilot.pause()
    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)
