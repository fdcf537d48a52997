"""The app open on a library while ``coup-explorer import`` writes to it from another process.

The import runs as a real process; the app, under Pilot, marks items (its own
writes), marks everything shown and reloads again and again while it runs.
Neither side may meet "database is locked", and after ``r`` the app shows the
imported sources and quotes.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from coup_explorer.db import Library, library
from coup_explorer.tui.app import ExplorerApp

from .generated import write_articles
from .test_app import SIZE, pane, record_notes, settle

pytestmark = pytest.mark.asyncio
CLI = [sys.executable, "-m", "coup_explorer.tui.cli"]


@pytest.fixture
def database_errors(monkeypatch: pytest.MonkeyPatch) -> list[Exception]:
    """Every SQLite error met by a Library in this process (the app's, in its workers)."""
    errors: list[Exception] = []

    def recording(method):
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                errors.append(exc)
                raise
        return wrapper

    transaction = Library.transaction

    @contextmanager
    def recorded_transaction(self) -> Iterator[None]:
        try:
            with transaction(self):
                yield
        except sqlite3.Error as exc:
            errors.append(exc)
            raise

    monkeypatch.setattr(Library, "all", recording(Library.all))
    monkeypatch.setattr(Library, "one", recording(Library.one))
    monkeypatch.setattr(Library, "transaction", recorded_transaction)
    return errors


def counts(library: Path) -> tuple[int, int]:
    with sqlite3.connect(f"file:{library}?mode=ro", uri=True) as conn:
        return (conn.execute("SELECT count(*) FROM sources").fetchone()[0],
                conn.execute("SELECT count(*) FROM quotes").fetchone()[0])


async def test_the_app_reads_and_marks_while_an_import_writes(
        story_path: Path, tmp_path: Path, database_errors: list[Exception],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The app waits at most 2 s for the import's write lock (10 s in use): the import holds
    # it only while it writes a file, never while it reads or extracts one.
    monkeypatch.setattr(library, "BUSY_TIMEOUT_MS", 2_000)
    folder = tmp_path / "articles"
    write_articles(folder, 300, seed=4)
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notes(app)
        await settle(pilot)
        assert pane(app, "quotes").count == 17
        await pilot.press("space")  # the app writes a mark as the import starts
        process = subprocess.Popen([*CLI, "--db", str(story_path), "import", str(folder)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        rounds = 0
        while process.poll() is None:
            await pilot.press("j", "space", "r")  # a mark, then read everything again
            if rounds == 3:
                await pilot.press("a")  # mark every quote shown: a larger write
            await pilot.pause(0.02)
            rounds += 1
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "locked" not in err and "locked" not in out
        assert rounds >= 3  # the app kept working while the import ran

        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        sources, quotes = counts(story_path)
        assert sources == 301 and quotes > 17
        assert pane(app, "quotes").count == quotes
        assert f"{sources} sources" in app.sub_title and f"{quotes:,} quotes" in app.sub_title
        stored = app.explorer.library.count_marks()
        assert stored >= 17 and app.screen.marks == stored  # every quote "a" marked, and more

    assert database_errors == []
    assert not [n for n in notes if n[1] == "error" or "locked" in n[0]], notes
