"""The sources' texts as the writer uses them: an item's span checked in its source's text
and paragraphs, and the places where a source names an actor (its mentions).

Methods of ``Library`` (through ``Writer``).
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from .errors import InvalidInput
from .names import NameFinder

# The actors named inside quotes (a mention starts no later than it ends: the bound on
# char_start only lets the primary key's range find them).
QUOTE_MENTIONS = """(quote_id, actor_id, sort_date, source_id, char_start)
    SELECT q.id, m.actor_id, q.sort_date, q.source_id, q.char_start
    FROM quotes q JOIN mentions m ON m.source_id = q.source_id
     AND m.char_start >= q.char_start AND m.char_start <= q.char_end AND m.char_end <= q.char_end"""
FACTS_KEPT = 32_000_000  # characters of source text kept in memory while items are checked


class _SourceFacts:
    """What checking an item's span needs of its source, read once."""

    __slots__ = ("text", "published", "bounds", "starts", "ends", "numbers", "ordered")

    def __init__(self, text: str, published: str, bounds: dict[int, tuple[int, int]]) -> None:
        self.text, self.published, self.bounds = text, published, bounds
        self.numbers = list(bounds)
        self.starts = [s for s, _ in bounds.values()]
        self.ends = [e for _, e in bounds.values()]
        # paragraph_at bisects when no two paragraphs start at one offset (else SQL decides)
        self.ordered = all(a < b for a, b in zip(self.starts, self.starts[1:]))


class Texts:
    """What ``Writer`` knows of the sources while it writes."""

    conn: sqlite3.Connection
    _unindexed: dict

    if TYPE_CHECKING:  # Writer's and Bulk's, which a stub here would hide
        def _exec(self, sql: str, params: Sequence | dict = ()) -> int: ...

        def _insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple], *,
                         ignore: bool = False) -> int: ...

        def _settle(self, *, quiet: bool = False) -> None: ...

        def _index_now(self) -> None: ...

        def _meanwhile(self, work: Callable[[], None] | None) -> AbstractContextManager[None]: ...

    def _forget_texts(self) -> None:
        """Drop what is kept of the sources (a rollback or another writer may change it)."""
        self._facts: dict[int, _SourceFacts] = {}
        self._facts_chars = 0
        self._names: NameFinder | None = None  # every actor's names

    def _source_facts(self, source_id: int) -> _SourceFacts | None:
        """A source's text, published date and paragraphs, kept for the sources used last
        (a dataset's items come source by source, an article's follow its source)."""
        cache = self._facts
        facts = cache.get(source_id)
        if facts is not None:
            return facts
        row = self.conn.execute("SELECT text, coalesce(published, '') FROM sources WHERE id = ?",
                                (source_id,)).fetchone()
        if row is None:
            return None
        return self._keep_facts(source_id, row[0], row[1], self.conn.execute(
            "SELECT number, char_start, char_end FROM paragraphs WHERE source_id = ? "
            "ORDER BY char_start, number", (source_id,)))

    def _keep_facts(self, source_id: int, text: str, published: str,
                    paragraphs: Iterable[tuple[int, int, int]]) -> _SourceFacts:
        """Keep what ``_source_facts`` gives for a source: its text, published date ('' if
        none) and ``(number, start, end)`` of its paragraphs, kept in order of start, then
        number (a new source's are kept as it is added: read back, they would cost as much
        again)."""
        paragraphs = list(paragraphs)
        if any((a[1], a[0]) > (b[1], b[0])  # (they usually are in order already)
               for a, b in zip(paragraphs, paragraphs[1:])):
            paragraphs.sort(key=lambda p: (p[1], p[0]))
        cache = self._facts
        self._facts_chars += len(text)
        while cache and self._facts_chars > FACTS_KEPT:  # the one read longest ago goes
            self._facts_chars -= len(cache.pop(next(iter(cache))).text)
        cache[source_id] = facts = _SourceFacts(text, published,
                                                {n: (s, e) for n, s, e in paragraphs})
        return facts

    def paragraph_at(self, source_id: int, offset: int,
                     facts: _SourceFacts | None = None) -> int:
        """The number of the paragraph holding character ``offset`` (0 if none does)."""
        facts = facts or self._source_facts(source_id)
        if facts is not None and facts.ordered:
            at = bisect.bisect_right(facts.starts, offset) - 1
            return facts.numbers[at] if at >= 0 and offset < facts.ends[at] else 0
        row = self.conn.execute(
            "SELECT number, char_end FROM paragraphs WHERE source_id = ? AND char_start <= ? "
            "ORDER BY char_start DESC LIMIT 1", (source_id, offset)).fetchone()
        return row[0] if row and offset < row[1] else 0

    def _check_span(self, what: str, source_id: int, paragraph: int, start: int, end: int,
                    text: str | None = None) -> _SourceFacts:
        facts = self._source_facts(source_id)
        if facts is None:
            raise InvalidInput(f"{what}: source_id does not name a source")
        source_text = facts.text
        if not (isinstance(start, int) and isinstance(end, int)
                and 0 <= start <= end <= len(source_text)):
            raise InvalidInput(f"{what}: char_start/char_end {start}..{end} lie outside the source")
        bounds = facts.bounds.get(paragraph)
        if bounds is None or not (bounds[0] <= start and end <= bounds[1]):
            raise InvalidInput(f"{what}: paragraph {paragraph} does not hold characters {start}..{end}")
        if text is not None:
            if source_text[start:end] != text:
                raise InvalidInput(f"{what}: text is not the source's characters {start}..{end}")
        return facts

    def index_mentions(self, source_id: int, actor_ids: Iterable[int] | None = None) -> int:
        """Record every place the source names an actor (by name or alias, whole words).

        Also links the source's quotes to the actors named inside them.
        """
        finder = self._name_finder(list(actor_ids) if actor_ids is not None else None)
        facts = self._source_facts(source_id)
        rows = self._mention_rows(finder, source_id, facts) if facts is not None else []
        self._add_mentions(rows, [source_id])
        return len(rows)

    def index_sources(self, source_ids: Iterable[int]) -> None:
        """``index_mentions`` of every actor for each source, with what waits to be indexed in
        full text (``_index_now``) written meanwhile: finding names is Python, writing the index
        is SQLite, which leaves Python free, so the two take about the time of the longer. The
        sources are read and scanned some millions of characters at a time."""
        self._settle()  # the quotes still being written, which the mentions link
        finder = self._name_finder(None)
        group: list[tuple[int, _SourceFacts]] = []
        chars = 0
        for source_id in source_ids:
            facts = self._source_facts(source_id)  # held here, whatever the cache then keeps
            if facts is None:
                continue
            if group and chars + len(facts.text) > FACTS_KEPT:
                self._index_group(finder, group)
                group, chars = [], 0
            group.append((source_id, facts))
            chars += len(facts.text)
        self._index_group(finder, group)

    def _index_group(self, finder: NameFinder, group: list[tuple[int, _SourceFacts]]) -> None:
        with self._meanwhile(self._index_now if self._unindexed else None):
            finder.expect(sum(len(facts.text) for _, facts in group))
            rows = [row for source_id, facts in group
                    for row in self._mention_rows(finder, source_id, facts)]
        self._add_mentions(rows, [source_id for source_id, _ in group])

    def _mention_rows(self, finder: NameFinder, source_id: int,
                      facts: _SourceFacts) -> list[tuple[int, int, int, int, int]]:
        rows = []
        for start, end, actor_id in sorted(finder.find(facts.text)):
            paragraph = self.paragraph_at(source_id, start, facts)
            if paragraph:  # a headline or byline is not a paragraph: nothing to cite
                rows.append((actor_id, source_id, paragraph, start, end))
        return rows

    def _add_mentions(self, rows: list[tuple], source_ids: list[int]) -> None:
        """Insert mentions (as ``_mention_rows`` makes them) and link the quotes of
        ``source_ids`` to the actors named inside them."""
        self._insert_rows("mentions", ("actor_id", "source_id", "paragraph", "char_start",
                                       "char_end"), rows, ignore=True)
        for source_id in source_ids:
            self._exec(f"INSERT OR IGNORE INTO quote_actors{QUOTE_MENTIONS} WHERE q.source_id = ?",
                       (source_id,))

    def _name_finder(self, ids: list[int] | None) -> NameFinder:
        """The names of the actors ``ids`` (all actors if None: kept until this transaction
        ends or adds an actor or an alias, the only writes that change them)."""
        where = "" if ids is None else f"WHERE id IN ({','.join('?' * len(ids))})"
        if ids is None and self._names is not None:
            return self._names
        names: dict[str, int] = {}
        for actor_id, name in self.conn.execute(
                f"SELECT id, name FROM actors {where} UNION ALL SELECT actor_id, alias FROM aliases "
                f"{where.replace('id IN', 'actor_id IN')}", (ids or []) * 2):
            names.setdefault(name, actor_id)
        finder = NameFinder(names)
        if ids is None:
            self._names = finder
        return finder
