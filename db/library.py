"""Opening a library: finding the file, checking it, and the connection rules.

Readers open the file read-only; writers use WAL and a busy timeout so that the
app and an import can share one library without "database is locked".
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote as url_quote

import sqlite_utils

from . import paths, schema
from .errors import LibraryError
from .queries import Queries
from .writer import Writer

BUSY_TIMEOUT_MS = 10_000


class Library(Queries, Writer):
    """One library file. Reads are the ``Queries`` methods, writes the ``Writer`` ones.

    The connection may be used from worker threads: every statement runs under
    one lock.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, writable: bool) -> None:
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self.writable = writable
        self.lock = threading.RLock()
        self._forget()

    @property
    def name(self) -> str:
        stored = self.meta("name")
        if stored:
            return stored
        return self.path.stem if self.path else "library"

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    # -- running statements -------------------------------------------------

    def all(self, sql: str, params: tuple | dict = ()) -> list[tuple]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> tuple | None:
        with self.lock:
            return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: tuple | dict = ()) -> int:
        row = self.one(sql, params)
        return row[0] if row else 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the block's writes are committed together or not at all."""
        self._require_writable()
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            self._forget()  # another connection may have written since
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                self._forget()  # what is kept may name rows that were rolled back
                raise
            self.conn.execute("COMMIT")
            self._forget()  # no source text kept in memory between transactions

    def _require_writable(self) -> None:
        if not self.writable:
            raise LibraryError(f"{self.label} is open read-only")

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "the library"

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_library(path: str | os.PathLike[str] | None = None, *, write: bool = False) -> Library:
    """Open the user's library (``--db``, ``$COUP_EXPLORER_DB`` or the default).

    A file that does not exist yet is created as a copy of the bundled story.
    """
    target = paths.library_path(path)
    if not target.exists():
        create_from_bundled(target)
    if target.is_dir():
        raise LibraryError(f"{target} is a directory, not a library file")
    return connect(target, write=write)


def connect(path: Path, *, write: bool = False) -> Library:
    """Open an existing library file (read-only unless ``write``), checking what it is."""
    label = str(path)
    try:
        if write:
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            uri = f"file:{url_quote(str(path.resolve()))}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise LibraryError(f"cannot open {label}: {exc}") from None
    try:
        schema.check(conn, label)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if write:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise LibraryError(f"cannot open {label}: {exc}") from None
    except LibraryError:
        conn.close()
        raise
    return Library(conn, path, writable=write)


def create_empty(path: Path | None = None, *, name: str | None = None) -> Library:
    """A new, empty, writable library (in memory when ``path`` is None)."""
    if path is not None and path.exists():
        raise LibraryError(f"{path} exists already")
    conn = sqlite3.connect(":memory:" if path is None else path, check_same_thread=False,
                           isolation_level=None)
    lib = Library(conn, path, writable=True)
    schema.create(lib.db)  # DDL through sqlite-utils commits as it goes: a new file only
    if name:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('name', ?)", (name,))
    if path is not None:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return lib


def create_from_bundled(target: Path) -> None:
    """Make ``target`` a new library holding the bundled story (copied, never linked)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(paths.bundled_story(), partial)
        partial.replace(target)
    except OSError as exc:
        raise LibraryError(f"cannot create a library at {target}: {exc.strerror or exc}") from None
