"""Writing to a library: the only code that inserts or deletes rows.

Every write checks what it is given and raises ``InvalidInput`` naming the
field that is wrong, so that an import can report it and roll back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from collections.abc import Iterable, Sequence

from .bulk import Bulk
from .dates import check_date
from .errors import InvalidInput
from .models import ACTOR_KINDS, ITEM_KINDS, ORIGINS, QUOTE_KINDS, Filter
from .search import fold
from .texts import QUOTE_MENTIONS, Texts


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stable_uid(prefix: str, *parts: object) -> str:
    """A short id that is the same every time for the same parts (for idempotent imports)."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans of a text: blocks separated by blank lines, trimmed of line breaks."""
    spans = []
    for m in re.finditer(r"(?:[^\r\n]|\r?\n(?![ \t]*\r?\n)|\r(?![ \t]*\r))+", text):
        start, end = m.start(), m.end()
        block = text[start:end]
        if block.strip():
            lead = len(block) - len(block.lstrip())
            trail = len(block) - len(block.rstrip())
            spans.append((start + lead, end - trail))
    return spans


_ACTOR_COLUMNS = ("uid", "name", "sort_name", "kind", "role", "origin", "confidence")
_QUOTE_COLUMNS = ("uid", "text", "speaker_id", "speaker_names", "kind", "date", "date_precision",
                  "sort_date", "source_id", "paragraph", "char_start", "char_end", "origin",
                  "confidence")
_EVENT_COLUMNS = ("uid", "date", "date_precision", "date_end", "date_text", "summary", "source_id",
                  "paragraph", "char_start", "char_end", "origin", "confidence")
ROWS_PER_STATEMENT = 5_000
# What quotes_speaker_ai and event_actors_ai do, for the rows with ids from ? to ?.
_QUOTE_COUNTS = """UPDATE actors SET quote_count = quote_count + c.n
    FROM (SELECT speaker_id, count(*) AS n FROM quotes WHERE id BETWEEN ? AND ?
          AND speaker_id IS NOT NULL GROUP BY speaker_id) AS c WHERE actors.id = c.speaker_id"""
_EVENT_COUNTS = """UPDATE actors SET event_count = event_count + c.n
    FROM (SELECT actor_id, count(*) AS n FROM event_actors WHERE event_id BETWEEN ? AND ?
          GROUP BY actor_id) AS c WHERE actors.id = c.actor_id"""
_EVENT_NAMES = """UPDATE events SET actor_names = (
    SELECT group_concat(a.name, ' | ') FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
    WHERE ea.event_id = events.id)
    WHERE id BETWEEN ? AND ?
      AND id IN (SELECT event_id FROM event_actors WHERE event_id BETWEEN ? AND ?)"""
# What aliases_ai does, for the actors of the aliases with rowids from ? on.
_ALIAS_TEXT = """UPDATE actors SET alias_text = (SELECT group_concat(alias, ' | ') FROM aliases
                                  WHERE actor_id = actors.id)
    WHERE id IN (SELECT actor_id FROM aliases WHERE rowid >= ?)"""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Writer(Texts, Bulk):
    """Write methods of ``Library``; call them inside ``Library.transaction()``."""

    conn: sqlite3.Connection

    def _require_writable(self) -> None: ...  # pragma: no cover

    def _exec(self, sql: str, params: Sequence | dict = ()) -> int:
        self._require_writable()
        self._settle()  # one write at a time: lastrowid and changes are the connection's
        return self.conn.execute(sql, params).lastrowid or 0

    def set_meta(self, key: str, value: str) -> None:
        self._exec("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- sources ----------------------------------------------------------------

    def add_source(self, *, uid: str, title: str, text: str, author: str | None = None,
                   outlet: str | None = None, url: str | None = None,
                   published: str | None = None, origin: str = "imported",
                   paragraphs: Iterable[Sequence[int]] | None = None,
                   digest: str | None = None) -> int:
        """Add a source (``digest``: its text's ``content_hash``, if the caller has it)."""
        _require(uid, "source id")
        _require(title, "source title")
        if not text:
            raise InvalidInput(f"source {uid!r}: text is empty")
        if published:
            try:
                check_date(published, "day")
            except InvalidInput as exc:
                raise InvalidInput(f"source {uid!r}: published: {exc}") from None
        _check_origin(origin)
        spans = [tuple(p) for p in paragraphs] if paragraphs is not None else split_paragraphs(text)
        for number, span in enumerate(spans, 1):
            if len(span) != 2 or not 0 <= span[0] <= span[1] <= len(text):
                raise InvalidInput(f"source {uid!r}: paragraph {number} span {list(span)} "
                                   f"is outside the text")
        source_id = self._exec(
            "INSERT INTO sources(uid, title, author, outlet, url, published, text, length, "
            "content_hash, origin, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uid, title, author, outlet, url, published, text, len(text),
             digest or content_hash(text), origin, now()))
        rows = [(source_id, n, s, e) for n, (s, e) in enumerate(spans, 1)]
        self.conn.executemany(
            "INSERT INTO paragraphs(source_id, number, char_start, char_end) VALUES (?, ?, ?, ?)",
            rows)
        self._keep_facts(source_id, text, published or "", [(n, s, e) for _, n, s, e in rows])
        return source_id

    def _forget(self) -> None:
        """Drop what is kept from the database (a rollback or another writer may change it)."""
        self._forget_texts()
        self._forget_bulk()
        self._speakers: dict[int, str] = {}  # actor id -> the names a quote of theirs is found by
        self._good_dates: set[tuple[str, str | None]] = set()


    # -- actors -----------------------------------------------------------------

    def add_actor(self, *, uid: str, name: str, kind: str, role: str | None = None,
                  aliases: Iterable[str] = (), origin: str = "imported",
                  confidence: float | None = None) -> int:
        row = self._actor_row(uid=uid, name=name, kind=kind, role=role, origin=origin,
                              confidence=confidence)
        actor_id = self._next_id("actors")
        return self._add_actors([row], self._alias_rows(actor_id, aliases), first=actor_id)

    def add_aliases(self, actor_id: int, aliases: Iterable[str]) -> None:
        self._add_actors([], self._alias_rows(actor_id, aliases))

    def _actor_row(self, *, uid: str, name: str, kind: str, role: str | None = None,
                   origin: str = "imported", confidence: float | None = None) -> tuple:
        """The checked values of a new actor, in the order of ``_ACTOR_COLUMNS``."""
        _require(uid, "actor id")
        _require(name, f"actor {uid!r}: name")
        if kind not in ACTOR_KINDS:
            raise InvalidInput(f"actor {uid!r}: kind {kind!r} is not one of {', '.join(ACTOR_KINDS)}")
        _check_origin(origin)
        return (uid, name, fold(name), kind, role, origin, confidence)

    @staticmethod
    def _alias_rows(actor_id: int, aliases: Iterable[str]) -> list[tuple]:
        """The checked rows of the actor's aliases."""
        rows = []
        for alias in aliases:
            if not isinstance(alias, str) or not alias.strip():
                raise InvalidInput(f"actor {actor_id}: an alias is empty or not text")
            rows.append((actor_id, alias, fold(alias)))
        return rows

    def _add_actors(self, rows: list[tuple], aliases: list[tuple], *, first: int | None = None) -> int:
        """Insert actors (as ``_actor_row`` makes them), whose ids are to be ``first`` on, then
        aliases (as ``_alias_rows`` makes them, for those actors or others); returns ``first``."""
        if rows or aliases:  # new names change quotes' speaker_names, which the triggers index
            self._index_now()
        self._speakers.clear()  # names change the names a speaker's quotes are found by
        self._names = None
        added = self._insert_rows("actors", _ACTOR_COLUMNS, rows)
        if rows and added != first:
            raise RuntimeError(f"actors: the new ids are {added} on, not {first} on")
        together = self._instead_of("aliases_ai", len(aliases))
        after = self._next_id("aliases")
        self._insert_rows("aliases", ("actor_id", "alias", "folded"), aliases, ignore=True)
        if together and aliases:  # what the trigger does for each new alias, once an actor
            self._exec(_ALIAS_TEXT, (after,))
        return added

    def _next_id(self, table: str) -> int:
        """The rowid the next row of ``table`` gets (the largest, plus one)."""
        return self.conn.execute(f"SELECT coalesce(max(rowid), 0) + 1 FROM {table}").fetchone()[0]


    # -- events -----------------------------------------------------------------

    def add_event(self, *, uid: str, date: str, date_precision: str, summary: str,
                  source_id: int, paragraph: int, char_start: int, char_end: int,
                  date_text: str = "", date_end: str | None = None,
                  actor_ids: Iterable[int] = (), origin: str = "imported",
                  confidence: float | None = None) -> int:
        row = self._event_row(uid=uid, date=date, date_precision=date_precision, summary=summary,
                              source_id=source_id, paragraph=paragraph, char_start=char_start,
                              char_end=char_end, date_text=date_text, date_end=date_end,
                              origin=origin, confidence=confidence)
        return self._add_events([row], [actor_ids])

    def _add_events(self, rows: list[tuple], actor_ids: list[Iterable[int]]) -> int:
        """Insert events (as ``_event_row`` makes them) with the actors of each; returns the
        first one's id."""
        links = [(at, actor_id) for at, actors in enumerate(actor_ids)
                 for actor_id in dict.fromkeys(actors)]
        together = self._instead_of("event_actors_ai", len(links))
        first = self._insert_rows("events", _EVENT_COLUMNS, rows)
        self._insert_rows("event_actors", ("event_id", "actor_id"),
                          [(first + at, actor_id) for at, actor_id in links])
        if together and links:  # what the trigger does for each link, for them all at once
            last = first + len(rows) - 1
            self._exec(_EVENT_COUNTS, (first, last))
            self._exec(_EVENT_NAMES, (first, last, first, last))
        return first

    def _event_row(self, *, uid: str, date: str, date_precision: str, summary: str,
                   source_id: int, paragraph: int, char_start: int, char_end: int,
                   date_text: str = "", date_end: str | None = None, origin: str = "imported",
                   confidence: float | None = None) -> tuple:
        """The checked values of a new event, in the order of ``_EVENT_COLUMNS``."""
        what = f"event {uid!r}"
        _require(uid, "event id")
        _require(summary, f"{what}: summary")
        try:
            check_date(date, date_precision)
            if date_end:
                check_date(date_end, date_precision if date_precision != "week" else "day")
        except InvalidInput as exc:
            raise InvalidInput(f"{what}: {exc}") from None
        _check_origin(origin)
        self._check_span(what, source_id, paragraph, char_start, char_end)
        return (uid, date, date_precision, date_end, date_text, summary, source_id, paragraph,
                char_start, char_end, origin, confidence)

    # -- quotes -----------------------------------------------------------------

    def add_quote(self, *, uid: str, text: str, kind: str, source_id: int, paragraph: int,
                  char_start: int, char_end: int, speaker_id: int | None = None,
                  date: str | None = None, date_precision: str | None = None,
                  origin: str = "imported", confidence: float | None = None) -> int:
        row = self._quote_row(uid=uid, text=text, kind=kind, source_id=source_id,
                              paragraph=paragraph, char_start=char_start, char_end=char_end,
                              speaker_id=speaker_id, date=date, date_precision=date_precision,
                              origin=origin, confidence=confidence)
        return self._add_quotes([row])

    def _add_quotes(self, rows: list[tuple]) -> int:
        """Insert quotes (as ``_quote_row`` makes them) and link them to their actors; returns
        the first one's id."""
        self._index_later("quotes", len(rows))
        together = self._instead_of("quotes_speaker_ai", len(rows))
        first = self._insert_rows("quotes", _QUOTE_COLUMNS, rows)
        if together and rows:  # what the trigger does for each new quote, for them all at once
            self._exec(_QUOTE_COUNTS, (first, first + len(rows) - 1))
        if rows:
            self._link_quotes(first, first + len(rows) - 1)
        return first

    def _quote_row(self, *, uid: str, text: str, kind: str, source_id: int, paragraph: int,
                   char_start: int, char_end: int, speaker_id: int | None = None,
                   date: str | None = None, date_precision: str | None = None,
                   origin: str = "imported", confidence: float | None = None) -> tuple:
        """The checked values of a new quote, in the order of ``_QUOTE_COLUMNS``."""
        what = f"quote {uid!r}"
        _require(uid, "quote id")
        if not text:
            raise InvalidInput(f"{what}: text is empty")
        if kind not in QUOTE_KINDS:
            raise InvalidInput(f"{what}: kind {kind!r} is not one of {', '.join(QUOTE_KINDS)}")
        if date:
            try:
                self._check_quote_date(date, date_precision)
            except InvalidInput as exc:
                raise InvalidInput(f"{what}: {exc}") from None
        _check_origin(origin)
        facts = self._check_span(what, source_id, paragraph, char_start, char_end, text)
        speaker_names = ""
        if speaker_id is not None:
            speaker_names = self._speaker_names(speaker_id)
            if speaker_names is None:
                raise InvalidInput(f"{what}: speaker does not name an actor")
        published = facts.published
        return (uid, text, speaker_id, speaker_names, kind, date or None,
                date_precision if date else None, date or published, source_id, paragraph,
                char_start, char_end, origin, confidence)

    def _speaker_names(self, speaker_id: int) -> str | None:
        """The names a quote of the actor ``speaker_id`` is found by (None: no such actor)."""
        names = self._speakers.get(speaker_id)
        if names is None:
            row = self.conn.execute("SELECT name || ' ' || alias_text FROM actors WHERE id = ?",
                                    (speaker_id,)).fetchone()
            if row is None:
                return None
            names = self._speakers[speaker_id] = row[0]
        return names

    def _check_quote_date(self, date: str, precision: str | None) -> None:
        """``check_date`` of a quote's date, once for each date and precision."""
        if (date, precision) not in self._good_dates:
            check_date(date, precision or "")
            self._good_dates.add((date, precision))

    def _link_quotes(self, first: int, last: int) -> None:
        """Link quotes ``first`` to ``last`` to their speakers and the actors named in them."""
        self._exec(f"INSERT OR IGNORE INTO quote_actors{QUOTE_MENTIONS} WHERE q.id BETWEEN ? AND ? "
                   "UNION SELECT id, speaker_id, sort_date, source_id, char_start FROM quotes "
                   "WHERE id BETWEEN ? AND ? AND speaker_id IS NOT NULL", (first, last) * 2)

    def _insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple], *,
                     ignore: bool = False) -> int:
        """Insert ``rows`` as one statement (or as few as SQLite's limit on parameters allows);
        returns the rowid of the first (with ``ignore``, rows that break a constraint are left
        out, and the rowids are not counted).

        The triggers still run for every row, but an FTS5 index writes the terms of one
        statement together: a statement a row makes it flush them row by row, four times slower.
        """
        self._require_writable()
        self._settle()
        first = self._next_id(table)
        if not rows:
            return first
        width = len(columns)
        per = max(1, min(ROWS_PER_STATEMENT,
                         self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
        one = "(" + ", ".join("?" * width) + ")"
        head = f"INSERT {'OR IGNORE ' if ignore else ''}INTO {table}({', '.join(columns)}) VALUES "
        last = None
        for at in range(0, len(rows), per):
            chunk = rows[at:at + per]
            last = self.conn.execute(head + ", ".join([one] * len(chunk)),
                                     [value for row in chunk for value in row]).lastrowid
        if not ignore and last != first + len(rows) - 1:  # max + 1, unless max is the largest
            raise RuntimeError(f"{table}: new rowids are not {first} to {first + len(rows) - 1}")
        return first

    # -- marks --------------------------------------------------------------------

    def mark(self, kind: str, item_id: int) -> None:
        _check_kind(kind)
        self._exec("INSERT OR IGNORE INTO marks(kind, item_id, marked_at) VALUES (?, ?, ?)",
                   (kind, item_id, now()))

    def unmark(self, kind: str, item_id: int) -> None:
        _check_kind(kind)
        self._exec("DELETE FROM marks WHERE kind = ? AND item_id = ?", (kind, item_id))

    def toggle_mark(self, kind: str, item_id: int) -> bool:
        """Mark the item if it is not marked, else unmark it; returns whether it is marked now."""
        _check_kind(kind)
        marked = self.conn.execute("SELECT 1 FROM marks WHERE kind = ? AND item_id = ?",
                                   (kind, item_id)).fetchone() is not None
        (self.unmark if marked else self.mark)(kind, item_id)
        return not marked

    def mark_all(self, kind: str, flt: Filter = Filter()) -> int:
        """Mark every item of one kind that the filter shows; returns how many were newly marked."""
        _check_kind(kind)
        self._require_writable()
        table, alias, sql, _ = self._plan(kind, flt)  # type: ignore[attr-defined]
        before = self.conn.total_changes
        self.conn.execute(
            f"INSERT OR IGNORE INTO marks(kind, item_id, marked_at) SELECT :kind, {alias}.id, :now "
            f"FROM {table} {alias} {sql.join} {sql.clause}", {**sql.params, "kind": kind, "now": now()})
        return self.conn.total_changes - before

    def clear_marks(self, kind: str | None = None) -> int:
        self._require_writable()
        if kind is None:
            return self.conn.execute("DELETE FROM marks").rowcount
        _check_kind(kind)
        return self.conn.execute("DELETE FROM marks WHERE kind = ?", (kind,)).rowcount


def _require(value: object, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} is missing or not text")


def _check_origin(origin: str) -> None:
    if origin not in ORIGINS:
        raise InvalidInput(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")


def _check_kind(kind: str) -> None:
    if kind not in ITEM_KINDS:
        raise InvalidInput(f"no item kind {kind!r} (use quote, event or actor)")
