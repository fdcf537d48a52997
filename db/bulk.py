"""Large writes: what a trigger does row by row done once for many rows, indexes made after
the rows, and SQLite's work done in a thread while Python's goes on.

Methods of ``Library`` (through ``Writer``), for the writes of one transaction: what is left
undone meanwhile is done before it commits, and a rollback undoes the rest.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .schema import FTS_COLUMNS

# Rows added together (at least this many) have what a trigger does for each done by one
# statement for them all: quotes' and events' counts (for part-000 of the bench corpus, 0.25 s
# less of 3 s for 85,600 quotes, 0.45 s less of 0.6 s for 8,500 events' actors), aliases' text,
# and the quotes' full text and indexes (``_index_later``). Fewer are not worth dropping the
# trigger and making it again.
TOGETHER = 100
# FTS5 writes out the terms it holds at every statement (a savepoint) and whenever they pass its
# hash size (1 MiB unless set: the 'hashsize' setting, read by fts5_config.c since FTS5 began
# but not among the documented ones), and each write is a segment to merge later. Quotes added
# in bulk are indexed when the transaction ends instead, by one statement with a larger hash:
# for part-000 of the bench corpus (85,600 quotes) 0.7-1.0 s against 1.2-1.5 s by the trigger.
BULK_HASH_BYTES = 16 * 1024 * 1024
DEFAULT_HASH_BYTES = 1024 * 1024  # FTS5's own


class Bulk:
    """The machinery of large writes (``Writer`` uses it)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:  # Writer's
        def _exec(self, sql: str, params: Sequence | dict = ()) -> int: ...

        def _next_id(self, table: str) -> int: ...

    def _forget_bulk(self) -> None:
        """A transaction begins or ends: nothing is left undone or running."""
        self._behind: tuple[threading.Thread, list[BaseException]] | None = None  # _later's
        # table -> (its first row not yet in its full-text index, the insert trigger and the
        # indexes to make again)
        self._unindexed: dict[str, tuple[int, list[str]]] = {}
        self._dropped: dict[str, str] = {}  # _instead_of's triggers: name -> the SQL that made it

    def _instead_of(self, name: str, rows: int) -> bool:
        """Before ``rows`` rows are added: whether the trigger ``name`` is dropped, and the
        caller is then to do its work for all the rows at once. It is dropped when they are
        enough and a transaction is open, and stays dropped until the transaction ends
        (``_index_now`` makes it again as it was: no other connection ever sees it missing);
        meanwhile the caller does its work for every row added, however few."""
        if name in self._dropped:
            return True
        sql = self._trigger_sql(name) if rows >= TOGETHER else None
        if sql is None or not self.conn.in_transaction:
            return False
        self._exec(f"DROP TRIGGER [{name}]")
        self._dropped[name] = sql
        return True

    def _trigger_sql(self, name: str) -> str | None:
        """The statement that made the trigger ``name`` (None if there is none)."""
        row = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                (name,)).fetchone()
        return row[0] if row else None

    def _index_later(self, table: str, rows: int) -> None:
        """When at least ``TOGETHER`` ``rows`` are about to be added: from now until the
        transaction ends, index ``table``'s new rows when it does (``_index_now``), not row by
        row: in full text, and in its indexes that constrain nothing too when it holds fewer
        than the ``rows`` (each index is then sorted once, not written into row by row:
        0.15-0.25 s against 0.4-0.5 s for the quotes of part-000; in a large table, remaking
        them would cost more than it saves). Only rows added meanwhile: an update or delete of
        them would take out of the full-text index terms it does not hold yet."""
        if rows < TOGETHER or table in self._unindexed or not self.conn.in_transaction:
            return
        trigger = self._trigger_sql(f"{table}_ai")
        if trigger is None:
            return
        first = self._next_id(table)
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (table,)).fetchall() \
            if self.conn.execute(f"SELECT count(*) < ? FROM (SELECT 1 FROM [{table}] LIMIT ?)",
                                 (rows, rows)).fetchone()[0] else []
        self._unindexed[table] = (first, [trigger, *(sql for _, sql in indexes)])
        self._exec(f"DROP TRIGGER [{table}_ai]")
        for name, _ in indexes:
            self._exec(f"DROP INDEX [{name}]")

    def _index_now(self) -> None:
        """Index the rows that ``_index_later`` left out and make again its triggers and
        indexes, and the triggers ``_instead_of`` dropped (before the transaction commits: a
        rollback restores them by itself)."""
        while self._unindexed:
            table, (first, remade) = self._unindexed.popitem()
            fts, listed = f"[{table}_fts]", ", ".join(f"[{c}]" for c in FTS_COLUMNS[table])
            setting = f"INSERT INTO {fts}({fts}, rank) VALUES ('hashsize', ?)"
            try:
                self._exec(setting, (BULK_HASH_BYTES,))
                sized = True
            except sqlite3.OperationalError:  # an SQLite without the setting: only slower
                sized = False
            self._exec(f"INSERT INTO {fts}(rowid, {listed}) SELECT rowid, {listed} FROM [{table}] "
                       "WHERE rowid >= ?", (first,))
            if sized:
                self._exec(setting, (DEFAULT_HASH_BYTES,))
            for sql in remade:
                self._exec(sql)
        while self._dropped:  # _instead_of's triggers
            self._exec(self._dropped.popitem()[1])

    @contextmanager
    def _meanwhile(self, work: Callable[[], None] | None) -> Iterator[None]:
        """Do ``work`` (SQL on this connection) in a thread while the block runs; its error, if
        any, is raised after the block's."""
        if work is None:
            yield
            return
        self._later(work)
        try:
            yield
        except BaseException:
            self._settle(quiet=True)
            raise
        self._settle()

    def _later(self, work: Callable[[], None]) -> None:
        """Start ``work`` (SQL on this connection) in a thread, once what was started so before
        has ended, and go on: SQLite runs it without Python's lock, so the caller's Python and
        its SQL take two cores. The connection is serialised (``sqlite3.threadsafety`` 3), so
        SQL meanwhile is safe, only not at the same time; ``_settle`` before SQL that must see
        what ``work`` writes (the transaction's end does)."""
        self._settle()
        failed: list[BaseException] = []

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 (raised again in the caller's thread)
                failed.append(exc)

        thread = threading.Thread(target=run, name="coup-explorer-write", daemon=True)
        thread.start()
        self._behind = (thread, failed)

    def _settle(self, *, quiet: bool = False) -> None:
        """Wait for the work ``_later`` started, and raise its error (unless ``quiet``: the
        caller has an error of its own to raise)."""
        if self._behind is None or self._behind[0] is threading.current_thread():
            return
        thread, failed = self._behind
        thread.join()  # (interrupted by Ctrl-C: the work is still here for the rollback to wait on)
        self._behind = None
        if failed and not quiet:
            raise failed[0]
