"""Shared fixtures: every test gets its own user directories and its own library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coup_explorer.db import Library, connect, paths


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs' data and config directories (and $COUP_EXPLORER_DB) into tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    return home


@pytest.fixture
def story_path(tmp_path: Path) -> Path:
    """A fresh copy of the bundled story, as a user's library file."""
    target = tmp_path / "story.db"
    shutil.copyfile(paths.bundled_story(), target)
    return target


@pytest.fixture
def story(story_path: Path) -> Library:
    """The bundled story, open for writing (a fresh copy per test)."""
    lib = connect(story_path, write=True)
    yield lib
    lib.close()


@pytest.fixture
def story_text() -> str:
    return (Path(paths.bundled_story()).parent / "story.txt").read_text(encoding="utf-8")
