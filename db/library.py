"""Opening a library: finding the file, checking it, and the connection rules.

Readers open the file read-only; writers use WAL and a busy timeout so that the
app and an import can share one library without "database is locked". A file
that cannot be used (not a library, damaged, too new, read-only, locked, on a
full disk) raises ``LibraryError`` with one line naming the file, the problem
and a way forward; nothing here ever writes to such a file.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote as url_quote

from . import paths, schema
from .errors import ELSEWHERE, LibraryError
from .queries import Queries
from .writer import Writer

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
READER_CACHE_KB = 128
# While a dataset is written: its indexes soon outgrow SQLite's default 2 MB of cached pages,
# and each new row then reads pages back from the OS (part-000 of the bench corpus, 85,600
# quotes: 3.2 s -> 2.3 s for the quotes alone). Given back when the import ends.
IMPORT_CACHE_KB = 64 * 1024
MOVE_AWAY = f"move it away to start a new library there, or {ELSEWHERE}"


class Library(Queries, Writer):
    """One library file. Reads are the ``Queries`` methods, writes the ``Writer`` ones.

    The connection may be used from worker threads: every statement runs under
    one lock.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, writable: bool) -> None:
        self.conn = conn
        self.path = path
        self.writable = writable
        self.lock = threading.RLock()
        self._forget()

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The connection as sqlite-utils sees it (loaded on first use: the app never needs it)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

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
                self._settle()  # the writes still going on in a thread
                self._index_now()  # the rows whose full-text indexing waited for the end
            except BaseException:
                self._settle(quiet=True)  # no statement may run into the rollback
                if self.conn.in_transaction:  # SQLite has rolled back already on a full disk
                    self.conn.execute("ROLLBACK")
                self._forget()  # what is kept may name rows that were rolled back
                raise
            try:
                self.conn.execute("COMMIT")
            finally:
                self._forget()  # no source text kept in memory between transactions

    @contextmanager
    def large_cache(self, kb: int = IMPORT_CACHE_KB) -> Iterator[None]:
        """A page cache of ``kb`` for a large write, and the connection's own one after it."""
        with self.lock:
            before = self.conn.execute("PRAGMA cache_size").fetchone()[0]
            self.conn.execute(f"PRAGMA cache_size = -{kb}")
            try:
                yield
            finally:
                self.conn.execute(f"PRAGMA cache_size = {before}")

    def reader(self) -> Library:
        """Another read-only connection to the same file (this one, for a library in memory)."""
        if self.path is None:
            return self
        reader = connect(self.path)
        reader.small_cache()
        return reader

    def small_cache(self) -> None:
        """Keep READER_CACHE_KB of pages on this connection: the file's pages are in the OS
        cache anyway, and the default 2 MB a connection (the app has four) would fill with a
        large library's pages, so that memory grew with the library."""
        self.one(f"PRAGMA cache_size = -{READER_CACHE_KB}")

    def _require_writable(self) -> None:
        if not self.writable:
            if self.path is not None and not writable(self.path):
                raise read_only(self.path)
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
        raise LibraryError(f"{target} is a directory, not a library file: {ELSEWHERE}")
    return connect(target, write=write)


def connect(path: Path, *, write: bool = False) -> Library:
    """Open an existing library file (read-only unless ``write``), checking what it is.

    The file is checked (what it is, and a first read of every table) before
    anything is written to it, so a bad file is left exactly as it was.
    """
    label = str(path)
    if path.is_file() and path.stat().st_size == 0:
        raise LibraryError(f"{label} is an empty file, not a coup-explorer library: {MOVE_AWAY}")
    if write and not writable(path):
        raise read_only(path)
    try:
        if write:
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            conn = sqlite3.connect(_read_only_uri(path), uri=True, check_same_thread=False,
                                   isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise explain(exc, path) from None
    try:
        schema.check(conn, label)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        schema.probe(conn)
        if write:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path) from None
    except LibraryError:
        conn.close()
        raise
    return Library(conn, path, writable=write)


def _read_only_uri(path: Path) -> str:
    """A read-only URI; ``immutable`` in a folder where SQLite could not write the shared-memory
    file a WAL reader needs, which is safe there: no one can be writing a journal beside it."""
    uri = f"file:{url_quote(str(path.resolve()))}?mode=ro"
    if not _may_write(path.parent) and not _journal(path):
        uri += "&immutable=1"
    return uri


def _journal(path: Path) -> bool:
    """Whether a write-ahead log with content lies beside ``path`` (changes not yet in the file)."""
    wal = path.with_name(path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def writable(path: Path) -> bool:
    """Whether coup-explorer may write the library ``path`` and its journal files beside it.

    A file or folder with no write permission counts as read-only even for root, who
    could write it anyway: whoever made a library read-only meant it to stay so.
    """
    return _may_write(path) and _may_write(path.parent)


def _may_write(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(path, os.W_OK)


def read_only(path: Path) -> LibraryError:
    """The error for a write to a library that is read-only (the file, or its folder)."""
    if not _may_write(path.parent):
        return LibraryError(
            f"{path} is in a read-only folder, where its journal cannot be written: nothing can "
            f"be saved to it; make {path.parent} writable, or {ELSEWHERE}")
    return LibraryError(f"{path} is read-only: nothing can be saved to it; make it writable "
                        f"(chmod u+w), or {ELSEWHERE}")


def explain(exc: sqlite3.Error, path: Path | None) -> LibraryError:
    """One line for an error SQLite gave while using the library ``path``."""
    label = str(path) if path is not None else "the library"
    text = str(exc)
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return LibraryError(f"the disk holding {label} is full: nothing of the last change was "
                            f"kept; free some space and try again")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return LibraryError(
            f"{label} is locked: another program has been writing to it for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; try again when it has finished")
    if name.startswith("SQLITE_READONLY"):
        return read_only(path) if path is not None else LibraryError(f"{label} is read-only")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text \
            or "vtable constructor failed" in text:
        return LibraryError(
            f"{label} is damaged ({text}): restore it from a backup, or run "
            f"'coup-explorer reset' to replace it with a new library (marks and imports are "
            f"lost), or {ELSEWHERE}")
    return LibraryError(f"{label} could not be read or written: {text}")


def is_library_file(path: Path) -> bool:
    """Whether the file's header says it is a coup-explorer library, whatever state the rest is in."""
    try:
        with path.open("rb") as file:
            head = file.read(100)
    except OSError:
        return False
    return head[:16] == b"SQLite format 3\x00" and \
        int.from_bytes(head[68:72], "big") == schema.APPLICATION_ID


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
    folder = next((p for p in (target.parent, *target.parent.parents) if p.exists()), None)
    if folder is not None and not _may_write(folder):
        raise LibraryError(f"cannot create a library at {target}: {folder} is read-only; "
                           f"{ELSEWHERE}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(paths.bundled_story(), partial)
        partial.replace(target)
    except OSError as exc:
        raise LibraryError(f"cannot create a library at {target}: {exc.strerror or exc}") from None
