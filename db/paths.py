"""Where coup-explorer keeps its files: decided here and nowhere else.

Nothing happens at import time; every function looks at the environment when
it is called, so tests can point the data directory elsewhere.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import platformdirs

APP_NAME = "coup-explorer"
DB_ENV = "COUP_EXPLORER_DB"
LIBRARY_FILE = "library.db"


def data_dir() -> Path:
    """The user's data directory (holds the default library)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user's config directory (holds settings such as the theme)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "settings.json"


def default_library() -> Path:
    return data_dir() / LIBRARY_FILE


def library_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The library to use: ``--db`` first, then ``$COUP_EXPLORER_DB``, then the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_library()


def bundled_story() -> Path:
    """The shipped story database (package data, never written)."""
    return Path(str(files("coup_explorer.db") / "data" / "story.db"))


def bundled_story_json() -> Path:
    """The curated story the shipped database is built from."""
    return Path(str(files("coup_explorer.db") / "data" / "story.json"))
