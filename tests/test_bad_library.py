"""A library file that cannot be used: one clear line, a non-zero exit, and the file untouched.

Each bad file (not SQLite, empty, another program's database, a newer schema, damaged
pages, read-only, in a read-only folder, locked, on a full disk) is given to every
command and to the bare command that starts the app. The message names the file, the
problem and a way forward; nothing is written to the file or beside it.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from coup_explorer.db import connect, exporters, library, paths
from coup_explorer.tui.app import ExplorerApp
from coup_explorer.tui.cli import app as cli

from .generated import write_articles
from .libcheck import problems
from .test_app import SIZE, pane, record_notes, settle
from .test_cli import one_line_error, run, runner

CLI = [sys.executable, "-m", "coup_explorer.tui.cli"]
ARTICLE = Path(__file__).parent / "corpus" / "01-cob-strike.md"


def not_sqlite(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(5000))


def text_file(path: Path) -> None:
    path.write_text("Notes for my thesis on the 1952 revolution.\n" * 40)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE books(title TEXT)")
    conn.execute("INSERT INTO books VALUES ('Rebel Bolivia')")
    conn.commit()
    conn.close()


def newer(path: Path) -> None:
    shutil.copyfile(paths.bundled_story(), path)
    sqlite3.connect(path).execute("PRAGMA user_version = 2").connection.close()


def damaged(path: Path) -> None:
    """The story's header and schema page, then garbage."""
    shutil.copyfile(paths.bundled_story(), path)
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(4096)
        file.write(random.Random(2).randbytes(size - 4096))


BAD: dict[str, tuple[Callable[[Path], None], str]] = {
    "random bytes": (not_sqlite, "is not a coup-explorer library (it is not an SQLite database)"),
    "a text file": (text_file, "is not a coup-explorer library (it is not an SQLite database)"),
    "an empty file": (empty, "is an empty file, not a coup-explorer library"),
    "another SQLite file": (other_sqlite, "is not a coup-explorer library (an SQLite database"),
    "a newer schema": (newer, "was made by a newer coup-explorer (schema 2"),
    "damaged pages": (damaged, "is damaged (database disk image is malformed)"),
}
COMMANDS = {
    "app": [],
    "search": ["search", "Mamani"],
    "sources": ["sources"],
    "export": ["export", "--output", "{out}"],
    "import": ["import", str(ARTICLE)],
}


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("bad", list(BAD))
def test_a_bad_library_file_is_one_line_and_left_as_it_was(
        tmp_path: Path, bad: str, command: str) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    target = folder / "library.db"
    make, problem = BAD[bad]
    make(target)
    before = listing(folder)
    args = [a.format(out=tmp_path / "out.md") for a in COMMANDS[command]]
    line = one_line_error(runner.invoke(cli, ["--db", str(target), *args]))
    assert line.startswith(f"coup-explorer: error: {target} {problem}")
    assert "--db PATH" in line  # a way forward
    assert listing(folder) == before  # the file unchanged, and nothing written beside it
    assert not (tmp_path / "out.md").exists()


@pytest.mark.parametrize("how", ["environment", "default"])
def test_the_library_named_by_the_environment_or_the_default_is_checked_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    target = tmp_path / "env.db" if how == "environment" else paths.default_library()
    target.parent.mkdir(parents=True, exist_ok=True)
    text_file(target)
    before = target.read_bytes()
    if how == "environment":
        monkeypatch.setenv(paths.DB_ENV, str(target))
    assert f"{target} is not a coup-explorer library" in one_line_error(runner.invoke(cli, ["sources"]))
    assert target.read_bytes() == before


@pytest.mark.parametrize("bad", ["a text file", "an empty file", "another SQLite file"])
def test_reset_leaves_a_file_that_is_not_a_library_alone(tmp_path: Path, bad: str) -> None:
    target = tmp_path / "precious.db"
    BAD[bad][0](target)
    before = target.read_bytes()
    line = one_line_error(runner.invoke(cli, ["reset", "--yes", "--db", str(target)]))
    assert f"{target} is not a coup-explorer library, so reset leaves it alone" in line
    assert target.read_bytes() == before


def test_reset_replaces_a_damaged_library_the_way_forward_says(tmp_path: Path) -> None:
    target = tmp_path / "library.db"
    damaged(target)
    assert "coup-explorer reset" in one_line_error(run("search", "x", "--db", str(target)))
    assert run("reset", "--yes", "--db", str(target)).exit_code == 0
    assert run("search", "Mamani", "--db", str(target)).exit_code == 0


# -- through real processes: exactly one line on stderr, and the app never starts --------


def test_a_damaged_library_is_one_line_from_a_real_process(tmp_path: Path) -> None:
    target = tmp_path / "library.db"
    damaged(target)
    result = subprocess.run([*CLI, "--db", str(target), "search", "Mamani"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(
        f"coup-explorer: error: {target} is damaged"), result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("bad", ["a text file", "damaged pages"])
def test_the_app_does_not_start_on_a_bad_library(tmp_path: Path, bad: str) -> None:
    """In a real terminal (a pseudo-terminal): one line on stderr, before Textual draws anything."""
    import pty

    target = tmp_path / "library.db"
    BAD[bad][0](target)
    before = target.read_bytes()
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run([*CLI, "--db", str(target)], stdin=terminal, stdout=terminal,
                                stderr=subprocess.PIPE, text=True, timeout=60)
        os.set_blocking(controller, False)
        try:
            drawn = os.read(controller, 65536)
        except BlockingIOError:
            drawn = b""
    finally:
        os.close(controller)
        os.close(terminal)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and f"{target} {BAD[bad][1]}" in result.stderr
    assert drawn == b""  # the app never started
    assert target.read_bytes() == before


# -- read-only files and folders --------------------------------------------------------------


@pytest.fixture
def read_only_library(story_path: Path):
    story_path.chmod(0o444)
    yield story_path
    story_path.chmod(0o644)


def test_a_read_only_library_can_be_read_but_not_written(read_only_library: Path,
                                                         tmp_path: Path) -> None:
    target = read_only_library
    before = target.read_bytes()
    assert "Mamani" in run("search", "Mamani", "--db", str(target)).stdout
    assert run("sources", "--db", str(target)).exit_code == 0
    assert run("export", "--output", str(tmp_path / "out.md"), "--db", str(target)).exit_code == 0
    # the app would start: the only complaint is the missing terminal
    assert "needs a terminal" in one_line_error(runner.invoke(cli, ["--db", str(target)]))
    for args in (["import", str(ARTICLE)], ["reset", "--yes"]):
        line = one_line_error(runner.invoke(cli, [*args, "--db", str(target)]))
        assert line == (f"coup-explorer: error: {target} is read-only: nothing can be saved to "
                        f"it; make it writable (chmod u+w), or pass --db PATH to use another library")
    assert target.read_bytes() == before


@pytest.mark.asyncio
async def test_the_app_opens_a_read_only_library_and_says_marks_are_not_saved(
        read_only_library: Path) -> None:
    before = read_only_library.read_bytes()
    app = ExplorerApp(read_only_library)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notes(app)
        await settle(pilot)
        assert pane(app, "quotes").count == 17
        first = pane(app, "quotes").item
        await pilot.press("space")
        await settle(pilot)
        assert not pane(app, "quotes").is_marked(first.id)  # shown as it is: not marked
        assert app.screen.marks == 0
    assert any(severity == "error" and f"{read_only_library} is read-only" in message
               for message, severity in notes), notes
    assert read_only_library.read_bytes() == before


@pytest.fixture
def read_only_folder(tmp_path: Path):
    folder = tmp_path / "shelf"
    folder.mkdir()
    target = folder / "library.db"
    shutil.copyfile(paths.bundled_story(), target)
    connect(target, write=True).close()  # a library in WAL mode, as after any use
    folder.chmod(0o555)
    yield target
    folder.chmod(0o755)


def test_a_library_in_a_read_only_folder_can_be_read_but_not_written(read_only_folder: Path) -> None:
    target, folder = read_only_folder, read_only_folder.parent
    before = listing(folder)
    assert "Mamani" in run("search", "Mamani", "--db", str(target)).stdout
    line = one_line_error(runner.invoke(cli, ["import", str(ARTICLE), "--db", str(target)]))
    assert f"{target} is in a read-only folder" in line and "--db PATH" in line
    line = one_line_error(runner.invoke(cli, ["sources", "--db", str(folder / "new.db")]))
    assert f"cannot create a library at {folder / 'new.db'}: {folder} is read-only" in line
    assert listing(folder) == before  # no journal, no shared memory file, no new library


# -- locked ---------------------------------------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library, "BUSY_TIMEOUT_MS", 200)


def test_a_library_locked_by_another_writer_is_one_line(story_path: Path,
                                                          short_busy_timeout: None) -> None:
    holder = sqlite3.connect(story_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # in its first journal mode this shuts readers out too
    try:
        for args in (["search", "Mamani"], ["import", str(ARTICLE)], []):
            line = one_line_error(runner.invoke(cli, [*args, "--db", str(story_path)]))
            assert line == (f"coup-explorer: error: {story_path} is locked: another program has "
                            f"been writing to it for more than 0 s; try again when it has finished")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run("import", str(ARTICLE), "--db", str(story_path)).exit_code == 0


def test_in_wal_mode_a_writer_blocks_only_writes(story_path: Path, short_busy_timeout: None) -> None:
    connect(story_path, write=True).close()  # WAL mode
    holder = sqlite3.connect(story_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert run("search", "Mamani", "--db", str(story_path)).exit_code == 0
        line = one_line_error(runner.invoke(cli, ["import", str(ARTICLE), "--db", str(story_path)]))
        assert f"{story_path} is locked" in line
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert problems(story_path) == []


@pytest.mark.asyncio
async def test_a_mark_the_app_cannot_write_says_so(story_path: Path,
                                                     short_busy_timeout: None) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notes(app)
        await settle(pilot)
        first = pane(app, "quotes").item
        holder = sqlite3.connect(story_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("space")
            await settle(pilot)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert not pane(app, "quotes").is_marked(first.id)
        assert app.explorer.library.count_marks() == 0
    assert any(severity == "error" and f"{story_path} is locked" in message
               for message, severity in notes), notes


# -- a full disk -------------------------------------------------------------------------------


def test_an_import_onto_a_full_disk_is_one_line_and_keeps_whole_files(
        story_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 40)
    real = library.connect

    def filling(path: Path, *, write: bool = False):
        lib = real(path, write=write)
        pages = lib.scalar("PRAGMA page_count")
        lib.conn.execute(f"PRAGMA max_page_count = {pages + 8}")  # room for a few articles
        return lib

    monkeypatch.setattr(library, "connect", filling)
    line = one_line_error(runner.invoke(cli, ["import", str(folder), "--db", str(story_path)]))
    assert line == (f"coup-explorer: error: the disk holding {story_path} is full: nothing of the "
                    f"last change was kept; free some space and try again")
    assert problems(story_path) == []
    with connect(story_path) as lib:
        partial = lib.scalar("SELECT count(*) FROM sources")
    assert 1 < partial < 41  # some articles went in whole, then the disk was full
    monkeypatch.setattr(library, "connect", real)
    assert run("import", str(folder), "--db", str(story_path)).exit_code == 0
    with connect(story_path) as lib:
        assert lib.scalar("SELECT count(*) FROM sources") == 41


def test_an_export_onto_a_full_disk_is_one_line_and_leaves_no_file(
        story_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = exporters._writer

    def filling(fmt: str):
        write = real(fmt)

        def full(lib, selection, out, **kwargs):
            write(lib, selection, out, **kwargs)
            raise OSError(28, os.strerror(28))
        return full

    monkeypatch.setattr(exporters, "_writer", filling)
    out = tmp_path / "dossier.md"
    line = one_line_error(runner.invoke(cli, ["export", "--output", str(out), "--db", str(story_path)]))
    assert line == f"coup-explorer: error: cannot write {out}: No space left on device"
    assert [p.name for p in tmp_path.iterdir() if "dossier" in p.name] == []
