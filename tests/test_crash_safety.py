"""An import killed with SIGKILL at any moment leaves whole articles only, and a re-run completes it.

``coup-explorer import`` runs as a real process on 300 generated articles and is
killed at several moments: before it has written anything, just after its first
file, and twice in mid-run. After each kill the library passes SQLite's integrity,
foreign-key and full-text checks, and every source in it has exactly the rows an
uninterrupted import of the same files makes; the next run carries on. The last
run completes, and then the library equals the uninterrupted one.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from coup_explorer.db import connect, paths
from coup_explorer.db.importers import import_paths

from .generated import write_articles
from .libcheck import by_source, problems, whole

ARTICLES = 300
CLI = [sys.executable, "-m", "coup_explorer.tui.cli"]


def start_import(library: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "--db", str(library), "import", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def source_count(library: Path) -> int:
    try:
        with sqlite3.connect(f"file:{library}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def kill_when(process: subprocess.Popen, library: Path, sources: int, delay: float) -> None:
    """SIGKILL the import once the library holds ``sources`` sources, ``delay`` s later."""
    deadline = time.monotonic() + 60
    while source_count(library) < sources:
        assert process.poll() is None, f"the import ended before it was killed: {process.returncode}"
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.002)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    write_articles(folder, ARTICLES)
    return folder


@pytest.fixture(scope="module")
def reference(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library an uninterrupted import of the articles makes."""
    target = tmp_path_factory.mktemp("reference") / "reference.db"
    shutil.copyfile(paths.bundled_story(), target)
    with connect(target, write=True) as lib:
        results = list(import_paths(lib, [articles]))
    assert [r.status for r in results] == ["added"] * ARTICLES
    return target


def test_killed_imports_leave_whole_articles_and_a_rerun_completes(
        articles: Path, reference: Path, tmp_path: Path) -> None:
    library = tmp_path / "library.db"
    shutil.copyfile(paths.bundled_story(), library)
    expected = by_source(reference)
    rng = random.Random(6)
    story = source_count(library)
    seen = [story]
    # (sources in the library when the kill comes, and how long after): very early (while it
    # starts, before any article is written), just after the first article, twice in mid-run
    moments = [(story, 0.4), (story + 1, 0.0), (story + 60, rng.uniform(0, 0.05)),
               (story + 160, rng.uniform(0, 0.05))]
    for sources, delay in moments:
        process = start_import(library, articles)
        kill_when(process, library, sources, delay)
        assert process.returncode == -signal.SIGKILL
        assert problems(library) == []
        found = by_source(library)
        for uid, rows in found.items():
            assert rows == expected[uid], f"source {uid} is not as a whole import makes it"
        seen.append(len(found))
    assert seen == sorted(seen) and seen[-1] < story + ARTICLES, seen  # killed mid-run each time

    finished = subprocess.run([*CLI, "--db", str(library), "import", str(articles)],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert "already imported" in finished.stdout  # what earlier runs wrote is not written twice
    assert problems(library) == []
    assert whole(library) == whole(reference)
