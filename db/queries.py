"""Reading a library: every query the app and the command line run.

Every list is a page (``limit`` and ``offset``) in a stable order, with a
matching ``count_*``; nothing loads a whole table. Filters are one ``Filter``
value shared by the three lists, so the panes of the app and the filters of
``export`` mean the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from . import search as fts
from .dates import parse_bound, upper_bound
from .errors import InvalidInput
from .models import (
    ITEM_KINDS,
    Actor,
    Context,
    Event,
    Facet,
    Filter,
    Hit,
    Item,
    Quote,
    Source,
    Stats,
)

if TYPE_CHECKING:
    import sqlite3
    import threading

PAGE = 200
RANK_LIMIT = 1_000
_NO_MATCH = "0"  # a WHERE clause that matches nothing (a query with no words)

_QUOTE_COLUMNS = """q.id, q.uid, q.text, a.name, q.speaker_id, q.kind, q.date, q.date_precision,
  q.source_id, q.paragraph, q.char_start, q.char_end, q.origin, q.confidence"""
_EVENT_COLUMNS = """e.id, e.uid, e.date, e.date_precision, e.date_end, e.date_text, e.summary,
  e.source_id, e.paragraph, e.char_start, e.char_end, e.origin, e.confidence"""
_ACTOR_COLUMNS = """a.id, a.uid, a.name, a.kind, a.role, a.event_count, a.quote_count,
  a.origin, a.confidence"""
_SOURCE_COLUMNS = """s.id, s.uid, s.title, s.author, s.outlet, s.url, s.published, s.origin,
  (SELECT count(*) FROM paragraphs p WHERE p.source_id = s.id), s.length"""


@dataclass
class _Sql:
    """A WHERE clause under construction, with its parameters."""

    where: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)
    joins: list[str] = field(default_factory=list)
    ranked: bool = False
    order: str | None = None  # an order that a join makes cheap (an index range)
    alone: str | None = None  # a cheaper count when the one condition is the last one added

    @property
    def join(self) -> str:
        return " ".join(self.joins)

    def add(self, clause: str, **params: object) -> None:
        self.where.append(clause)
        self.params.update(params)

    @property
    def clause(self) -> str:
        return ("WHERE " + " AND ".join(self.where)) if self.where else ""


class Queries:
    """Read methods of ``Library`` (which provides the connection and the lock)."""

    conn: sqlite3.Connection
    lock: threading.RLock

    def all(self, sql: str, params: tuple | dict = ()) -> list[tuple]: ...  # pragma: no cover
    def one(self, sql: str, params: tuple | dict = ()) -> tuple | None: ...  # pragma: no cover
    def scalar(self, sql: str, params: tuple | dict = ()) -> int: ...  # pragma: no cover

    name: str

    # -- overview -----------------------------------------------------------

    def stats(self) -> Stats:
        row = self.one("""SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM actors),
                          (SELECT count(*) FROM events), (SELECT count(*) FROM quotes),
                          (SELECT count(*) FROM marks)""")
        assert row is not None
        return Stats(self.name, *row)

    def sources(self, *, limit: int = PAGE, offset: int = 0) -> list[Source]:
        rows = self.all(f"SELECT {_SOURCE_COLUMNS} FROM sources s ORDER BY s.published, s.id "
                        "LIMIT ? OFFSET ?", (limit, offset))
        return [Source(*r) for r in rows]

    def source(self, source_id: int) -> Source | None:
        row = self.one(f"SELECT {_SOURCE_COLUMNS} FROM sources s WHERE s.id = ?", (source_id,))
        return Source(*row) if row else None

    def source_text(self, source_id: int) -> str:
        row = self.one("SELECT text FROM sources WHERE id = ?", (source_id,))
        return row[0] if row else ""

    def paragraph_spans(self, source_id: int) -> list[tuple[int, int, int]]:
        """(number, start, end) of every paragraph of one source."""
        return [tuple(r) for r in self.all(  # type: ignore[misc]
            "SELECT number, char_start, char_end FROM paragraphs WHERE source_id = ? ORDER BY number",
            (source_id,))]

    # -- quotes -------------------------------------------------------------

    def quotes(self, flt: Filter = Filter(), *, limit: int = PAGE, offset: int = 0) -> list[Quote]:
        return self.page_of("quote", flt, limit=limit, offset=offset)

    def count_quotes(self, flt: Filter = Filter()) -> int:
        return self.count("quote", flt)

    def quote(self, quote_id: int) -> Quote | None:
        return self.item("quote", quote_id)  # type: ignore[return-value]

    def _quote_sql(self, flt: Filter) -> _Sql:
        sql = _Sql()
        self._text(sql, "quotes", "q", flt.text)
        if flt.speaker is not None:
            sql.add("q.speaker_id = :speaker", speaker=flt.speaker)
        actors = _ids(flt)
        if len(actors) == 1:  # one actor: walk its range of quote_actors, already in order
            sql.joins.append("JOIN quote_actors qa ON qa.quote_id = q.id")
            sql.add("qa.actor_id = :actor", actor=actors[0])
            sql.order = "qa.sort_date, qa.source_id, qa.char_start, qa.quote_id"
            sql.alone = "SELECT count(*) FROM quote_actors WHERE actor_id = :actor"
        elif actors:
            sql.add(f"q.id IN (SELECT quote_id FROM quote_actors WHERE actor_id IN "
                    f"({','.join(map(str, actors))}))")
        if flt.event is not None:
            sql.add("""q.id IN (SELECT q2.id FROM events e JOIN quotes q2
                         ON q2.source_id = e.source_id AND q2.paragraph = e.paragraph
                         WHERE e.id = :event
                       UNION SELECT q3.id FROM events e JOIN quotes q3 ON q3.date = e.date
                         WHERE e.id = :event)""", event=flt.event)
        if flt.quote_kind is not None:
            sql.add("q.kind = :quote_kind", quote_kind=flt.quote_kind)
        if flt.source is not None:
            sql.add("q.source_id = :source", source=flt.source)
        self._dates(sql, "q.sort_date", flt)
        self._marked(sql, "quote", "q", flt)
        return sql

    # -- events -------------------------------------------------------------

    def timeline(self, flt: Filter = Filter(), *, limit: int = PAGE, offset: int = 0) -> list[Event]:
        return self.page_of("event", flt, limit=limit, offset=offset)

    def count_events(self, flt: Filter = Filter()) -> int:
        return self.count("event", flt)

    def event(self, event_id: int) -> Event | None:
        return self.item("event", event_id)  # type: ignore[return-value]

    def histogram(self, flt: Filter = Filter()) -> list[Facet]:
        """Events per year under the filter (years with none are left out)."""
        sql = self._event_sql(flt)
        rows = self.all(f"SELECT substr(e.date, 1, 4) AS year, count(*) FROM events e {sql.join} "
                        f"{sql.clause} GROUP BY year ORDER BY year", sql.params)
        return [Facet(*r) for r in rows]

    def _event_sql(self, flt: Filter) -> _Sql:
        sql = _Sql()
        self._text(sql, "events", "e", flt.text)
        if actors := _ids(flt):
            sql.add(f"e.id IN (SELECT event_id FROM event_actors WHERE actor_id IN "
                    f"({','.join(map(str, actors))}))")
        if flt.source is not None:
            sql.add("e.source_id = :source", source=flt.source)
        self._dates(sql, "e.date", flt)
        self._marked(sql, "event", "e", flt)
        return sql

    def _events(self, rows: list[tuple]) -> list[Event]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        links: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
        for event_id, actor_id, name in self.all(
                f"SELECT ea.event_id, a.id, a.name FROM event_actors ea JOIN actors a "
                f"ON a.id = ea.actor_id WHERE ea.event_id IN ({marks}) ORDER BY ea.rowid", ids):
            links[event_id].append((actor_id, name))
        return [Event(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6],
                      tuple(n for _, n in links[r[0]]), tuple(i for i, _ in links[r[0]]),
                      *r[7:]) for r in rows]

    # -- actors -------------------------------------------------------------

    def actors(self, flt: Filter = Filter(), *, limit: int = PAGE, offset: int = 0,
               order: str = "weight") -> list[Actor]:
        """Actors with their counts; ``order`` is ``weight`` (most events and quotes first) or ``name``."""
        return self.page_of("actor", flt, limit=limit, offset=offset, order=order)

    def count_actors(self, flt: Filter = Filter()) -> int:
        return self.count("actor", flt)

    def actor(self, actor_id: int) -> Actor | None:
        return self.item("actor", actor_id)  # type: ignore[return-value]

    def find_actor(self, name: str) -> Actor | None:
        """The actor one of whose names is ``name`` (case and accents ignored)."""
        folded = fts.fold(name.strip())
        row = self.one("SELECT id FROM actors WHERE sort_name = ? UNION ALL "
                       "SELECT actor_id FROM aliases WHERE folded = ? LIMIT 1", (folded, folded))
        return self.actor(row[0]) if row else None

    def resolve_actor(self, name: str) -> Actor:
        """The actor a person means by ``name``: a name or alias, else the one actor it matches.

        Raises InvalidInput naming the candidates when it matches none or several.
        """
        exact = self.find_actor(name)
        if exact is not None:
            return exact
        if fts.to_fts(name) is not None:
            found = self.actors(Filter(text=name), limit=6)
            if len(found) == 1:
                return found[0]
            if found:
                names = ", ".join(a.name for a in found[:5]) + (", …" if len(found) > 5 else "")
                raise InvalidInput(f"{name!r} could be several actors: {names}")
        raise InvalidInput(f"no actor named {name!r}")

    def _actor_sql(self, flt: Filter) -> _Sql:
        sql = _Sql()
        self._text(sql, "actors", "a", flt.text)
        if flt.event is not None:
            sql.add("a.id IN (SELECT actor_id FROM event_actors WHERE event_id = :event)",
                    event=flt.event)
        if flt.actor_kind is not None:
            sql.add("a.kind = :actor_kind", actor_kind=flt.actor_kind)
        self._marked(sql, "actor", "a", flt)
        return sql

    def _actors(self, rows: list[tuple]) -> list[Actor]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        aliases: dict[int, list[str]] = {i: [] for i in ids}
        for actor_id, alias in self.all(
                f"SELECT actor_id, alias FROM aliases WHERE actor_id IN ({','.join('?' * len(ids))}) "
                "ORDER BY rowid", ids):
            aliases[actor_id].append(alias)
        return [Actor(r[0], r[1], r[2], r[3], r[4], tuple(aliases[r[0]]), *r[5:]) for r in rows]

    # -- shared pieces ------------------------------------------------------

    def _page_ids(self, table: str, alias: str, sql: _Sql, order: str, limit: int,
                  offset: int, start: Start | None = None) -> list[int]:
        """One page of ids: ranked by relevance for a search, else in the list's order.

        Only ids are paged, so a deep OFFSET walks an index, not joined rows. A
        search matching more than RANK_LIMIT rows is listed in index order instead
        of by rank: ranking a million matches would take seconds, and a query
        that broad (one letter, say) has no useful ranking anyway. ``start``
        (a row number and its sort key, from ``anchor``) lets a deep page walk
        from that row instead of from the top.
        """
        params = {**sql.params, "limit": limit, "offset": offset}
        if sql.ranked:
            fts_table = f"{table}_fts"
            alone = len(sql.where) == 1  # the search alone: ask the index, where ranking is cheapest
            if alone and offset == 0 and start is None:
                # One walk of the index says both whether the search is broad and, if it
                # is, which rows come first (a prefix that the index has no prefix entries
                # for is expanded once, not twice).
                first = [r[0] for r in self.all(
                    f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH :match "
                    f"ORDER BY rowid LIMIT {RANK_LIMIT + 1}", sql.params)]
                broad = len(first) > RANK_LIMIT
                if (broad and limit <= len(first)) or len(first) <= 1:  # nothing to rank
                    return first[:limit]
            else:  # from an anchor, a search alone is broad: anchor() keys no other search
                broad = (alone and start is not None) or self._broad(fts_table, sql)
            if alone:
                if not broad:
                    return [r[0] for r in self.all(
                        f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH :match "
                        "ORDER BY rank LIMIT :limit OFFSET :offset", params)]
                keyed = _Keyed(fts_table, [*sql.where], ["rowid"])
                return [r[0] for r in self.all(*keyed.page(params, start))]
            order = f"{fts_table}.rowid" if broad else f"{fts_table}.rank, {alias}.id"
        elif sql.order:
            order = sql.order
        keyed = _Keyed(f"{table} {alias} {sql.join}", [*sql.where], _columns(order), alias)
        if start is not None and keyed.columns:
            return [r[0] for r in self.all(*keyed.page(params, start))]
        return [r[0] for r in self.all(
            f"SELECT {alias}.id FROM {table} {alias} {sql.join} {sql.clause} ORDER BY {order} "
            "LIMIT :limit OFFSET :offset", params)]

    def _broad(self, fts_table: str, sql: _Sql) -> bool:
        """Whether the search matches more than RANK_LIMIT rows (and is listed unranked)."""
        return self.scalar(f"SELECT count(*) FROM (SELECT 1 FROM {fts_table} WHERE "
                           f"{fts_table} MATCH :match LIMIT {RANK_LIMIT + 1})",
                           sql.params) > RANK_LIMIT

    def _rows(self, template: str, ids: list[int]) -> list[tuple]:
        """Full rows for a page of ids, in the page's order."""
        if not ids:
            return []
        found = {r[0]: r for r in self.all(template.format(ids=",".join("?" * len(ids))), ids)}
        return [found[i] for i in ids if i in found]

    def _count(self, table: str, alias: str, sql: _Sql) -> int:
        if sql.alone and len(sql.where) == 1:  # one condition: count in its own index
            return self.scalar(sql.alone, sql.params)
        return self.scalar(f"SELECT count(*) FROM {table} {alias} {sql.join} {sql.clause}",
                           sql.params)

    @staticmethod
    def _text(sql: _Sql, table: str, alias: str, text: str) -> None:
        if not text.strip():
            return
        query = fts.to_fts(text)
        if query is None:
            sql.add(_NO_MATCH)
            return
        sql.joins.append(f"JOIN {table}_fts ON {table}_fts.rowid = {alias}.id")
        sql.add(f"{table}_fts MATCH :match", match=query)
        sql.ranked = True
        sql.alone = f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH :match"

    @staticmethod
    def _marked(sql: _Sql, kind: str, alias: str, flt: Filter) -> None:
        if flt.marked:
            sql.add(f"{alias}.id IN (SELECT item_id FROM marks WHERE kind = '{kind}')")
            sql.alone = f"SELECT count(*) FROM marks WHERE kind = '{kind}'"

    @staticmethod
    def _dates(sql: _Sql, column: str, flt: Filter) -> None:
        if flt.since:
            sql.add(f"{column} >= :since", since=parse_bound(flt.since))
        if flt.until:
            sql.add(f"{column} <= :until", until=upper_bound(parse_bound(flt.until)))

    # -- search -------------------------------------------------------------

    def search(self, query: str, *, within: str = "quotes", limit: int = 50,
               offset: int = 0) -> list[Hit]:
        """Ranked results for a typed query, with where it matched each item's main text.

        ``within`` is ``quotes``, ``events``, ``actors`` or ``all`` (the best of each,
        merged by rank).
        """
        kinds = {"quotes": ("quote",), "events": ("event",), "actors": ("actor",),
                 "all": ITEM_KINDS}.get(within)
        if kinds is None:
            raise InvalidInput(f"cannot search in {within!r} (use quotes, events, actors or all)")
        terms = fts.parse(query)
        if not terms:
            return []
        flt = Filter(text=query)
        fetch = {"quote": self._ranked_quotes, "event": self._ranked_events,
                 "actor": self._ranked_actors}
        hits: list[Hit] = []
        for kind in kinds:
            for rank, item in fetch[kind](flt, limit + offset):
                hits.append(Hit(item, rank, fts.match_spans(main_text(item), terms)))
        hits.sort(key=lambda h: h.rank)
        return hits[offset: offset + limit]

    def count_matches(self, query: str, within: str = "quotes") -> int:
        kinds = ITEM_KINDS if within == "all" else (within.removesuffix("s"),)
        return sum(self.count(kind, Filter(text=query)) for kind in kinds)

    def _ranked_quotes(self, flt: Filter, limit: int) -> list[tuple[float, Item]]:
        return self._ranked("quotes", flt, limit, self.quotes)

    def _ranked_events(self, flt: Filter, limit: int) -> list[tuple[float, Item]]:
        return self._ranked("events", flt, limit, self.timeline)

    def _ranked_actors(self, flt: Filter, limit: int) -> list[tuple[float, Item]]:
        return self._ranked("actors", flt, limit, self.actors)

    def _ranked(self, table: str, flt: Filter, limit: int, fetch) -> list[tuple[float, Item]]:
        items = fetch(flt, limit=limit)
        if not items:
            return []
        ids = [i.id for i in items]
        ranks = dict(self.all(
            f"SELECT rowid, rank FROM {table}_fts WHERE {table}_fts MATCH ? "
            f"AND rowid IN ({','.join('?' * len(ids))})", (fts.to_fts(flt.text), *ids)))
        return [(ranks.get(i.id, 0.0), i) for i in items]

    # -- facets -------------------------------------------------------------

    def facets(self, name: str, flt: Filter = Filter(), *, limit: int = 20) -> list[Facet]:
        """Counts of quotes by ``speaker`` or ``kind``, events by ``year``, actors by ``actor_kind``."""
        if name == "year":
            return self.histogram(flt)[:limit] if limit else self.histogram(flt)
        if name in ("speaker", "kind"):
            sql = self._quote_sql(flt)
            column = "coalesce(a.name, '(no speaker)')" if name == "speaker" else "q.kind"
            rows = self.all(f"SELECT {column} AS v, count(*) AS n FROM quotes q "
                            f"LEFT JOIN actors a ON a.id = q.speaker_id {sql.join} {sql.clause} "
                            f"GROUP BY v ORDER BY n DESC, v LIMIT :limit",
                            {**sql.params, "limit": limit})
        elif name == "actor_kind":
            sql = self._actor_sql(flt)
            rows = self.all(f"SELECT a.kind AS v, count(*) AS n FROM actors a {sql.join} "
                            f"{sql.clause} GROUP BY v ORDER BY n DESC, v LIMIT :limit",
                            {**sql.params, "limit": limit})
        else:
            raise InvalidInput(f"no facet {name!r} (use speaker, kind, year or actor_kind)")
        return [Facet(*r) for r in rows]

    # -- one item in its place ------------------------------------------------

    def item(self, kind: str, item_id: int) -> Item | None:
        found = self._fetch(kind, [item_id])
        return found[0] if found else None

    def context(self, item: Item, *, radius: int | None = None) -> Context | None:
        """The item with its paragraph of the source (an actor: its first mention).

        With ``radius``, a paragraph longer than the item plus ``radius`` characters
        on each side is cut to that window (``Context.whole`` is then False).
        """
        if isinstance(item, Actor):
            row = self.one("SELECT source_id, paragraph, char_start, char_end FROM mentions "
                           "WHERE actor_id = ? ORDER BY source_id, char_start LIMIT 1", (item.id,))
            if row is None:
                return None
            source_id, paragraph, start, end = row
        else:
            source_id, paragraph = item.source_id, item.paragraph
            start, end = item.char_start, item.char_end
        source = self.source(source_id)
        bounds = self.one("SELECT char_start, char_end FROM paragraphs "
                          "WHERE source_id = ? AND number = ?", (source_id, paragraph))
        if source is None or bounds is None:
            return None
        p_start, p_end = bounds
        whole = True
        if radius is not None and (p_end - p_start) > (end - start) + 2 * radius:
            p_start, p_end, whole = max(p_start, start - radius), min(p_end, end + radius), False
        text = self.one("SELECT substr(text, ?, ?) FROM sources WHERE id = ?",
                        (p_start + 1, p_end - p_start, source_id))[0]  # type: ignore[index]
        span = (max(start, p_start) - p_start, min(end, p_end) - p_start)
        return Context(item, source, paragraph, text, p_start, span, whole)

    # -- marks ----------------------------------------------------------------

    def marked_among(self, kind: str, ids: list[int]) -> set[int]:
        """Which of these items (a page, typically) are marked."""
        if not ids:
            return set()
        return {r[0] for r in self.all(
            f"SELECT item_id FROM marks WHERE kind = ? AND item_id IN ({','.join('?' * len(ids))})",
            (kind, *ids))}

    def count_marks(self, kind: str | None = None) -> int:
        if kind is None:
            return self.scalar("SELECT count(*) FROM marks")
        return self.scalar("SELECT count(*) FROM marks WHERE kind = ?", (kind,))

    def marks(self, kind: str, *, limit: int = PAGE, offset: int = 0) -> list[Item]:
        """Marked items of one kind, in the order of their lists."""
        return self.page_of(kind, Filter(marked=True), limit=limit, offset=offset, order="name")

    # -- walking a whole selection, a page at a time ----------------------------

    def iter_items(self, kind: str, flt: Filter = Filter(), *, marked: bool = False,
                   page: int = 2000) -> Iterator[Item]:
        """Every item of one kind under a filter (``marked``: only marked ones), page by page.

        Lists in their order walk by key (each page starts after the last key
        seen), so a million items cost a million index steps, not the square of
        that; a search's ranked list is bounded by RANK_LIMIT and walks by offset.
        """
        if marked:
            flt = replace(flt, marked=True)
        table, alias, sql, order = self._plan(kind, flt, order="name")
        if sql.ranked:
            offset = 0
            while batch := self.page_of(kind, flt, limit=page, offset=offset, order="name"):
                yield from batch
                offset += page
            return
        columns = [c.strip() for c in order.split(",")]
        after: tuple | None = None
        while True:
            where, params = list(sql.where), {**sql.params, "limit": page}
            if after is not None:
                keys = [f":k{i}" for i in range(len(columns))]
                where.append(f"({', '.join(columns)}) > ({', '.join(keys)})")
                params.update({k[1:]: v for k, v in zip(keys, after, strict=True)})
            clause = ("WHERE " + " AND ".join(where)) if where else ""
            rows = self.all(f"SELECT {alias}.id, {order} FROM {table} {alias} {sql.join} {clause} "
                            f"ORDER BY {order} LIMIT :limit", params)
            yield from self._fetch(kind, [r[0] for r in rows])
            if len(rows) < page:
                return
            after = rows[-1][1:]

    def position(self, kind: str, item_id: int, flt: Filter = Filter()) -> int | None:
        """The row of an item in its list under a filter (actors: by weight, as listed).

        Counted in the list's own index order, so it costs one count, wherever the
        item stands. None when the item is not in the list, and for a search's
        ranked list, whose order only a full ranking knows.
        """
        table, alias, sql, order = self._plan(kind, flt)
        if sql.ranked:
            return None
        mine = " AND ".join([*sql.where, f"{alias}.id = :item"])
        if kind == "actor":  # the pane lists actors by weight, heaviest first, then by name
            weight = "(a.event_count + a.quote_count)"
            key = self.one(f"SELECT {weight}, a.sort_name, a.id FROM actors a {sql.join} "
                           f"WHERE {mine}", {**sql.params, "item": item_id})
            before = (f"({weight} > :k0 OR ({weight} = :k0 AND (a.sort_name, a.id) < (:k1, :k2)))")
        else:
            key = self.one(f"SELECT {order} FROM {table} {alias} {sql.join} WHERE {mine}",
                           {**sql.params, "item": item_id})
            keys = ", ".join(f":k{i}" for i in range(len(order.split(","))))
            before = f"({order}) < ({keys})"
        if key is None:
            return None
        where = " AND ".join([*sql.where, before])
        return self.scalar(f"SELECT count(*) FROM {table} {alias} {sql.join} WHERE {where}",
                           {**sql.params, **{f"k{i}": v for i, v in enumerate(key)}})

    def page_of(self, kind: str, flt: Filter = Filter(), *, limit: int = PAGE, offset: int = 0,
                order: str = "weight", start: Start | None = None) -> list:
        """One page of any kind's list, in its list order (actors: ``weight`` or ``name``).

        ``start`` is a row at or before ``offset`` and its sort key, as ``anchor`` gives
        them: the page is then read from that row on, so a page a million rows down
        costs a short walk from the anchor, not a walk from the top.
        """
        table, alias, sql, by = self._plan(kind, flt, order=order)
        if start is not None and not 0 <= start[0] <= offset:
            raise ValueError(f"the anchor (row {start[0]}) is not at or before row {offset}")
        return self._fetch(kind, self._page_ids(table, alias, sql, by, limit, offset, start))

    def anchor(self, kind: str, flt: Filter, after: tuple | None, step: int) -> tuple | None:
        """The sort key of the row ``step`` rows after the row whose key is ``after`` (of row
        ``step`` when ``after`` is None); None past the end of the list.

        Keys taken every so many rows let ``page_of`` start anywhere near a deep page
        (``start``). None too for a list that is not in the order of a key: a ranked
        search, actors by weight, and a broad search with other filters, whose walk by
        key can cost more than the plain walk (``after`` is then never given: it is a
        key this method returned for the same list).
        """
        table, alias, sql, order = self._plan(kind, flt)
        if sql.ranked:
            fts_table = f"{table}_fts"
            if len(sql.where) > 1 or (after is None and not self._broad(fts_table, sql)):
                return None
            keyed = _Keyed(fts_table, [*sql.where], ["rowid"])
        else:
            keyed = _Keyed(f"{table} {alias} {sql.join}", [*sql.where], _columns(order))
        if not keyed.columns:
            return None
        return self.one(*keyed.step(sql.params, after, step))

    def count(self, kind: str, flt: Filter = Filter()) -> int:
        """How many items of one kind the filter shows."""
        table, alias, sql, _ = self._plan(kind, flt)
        return self._count(table, alias, sql)

    def _plan(self, kind: str, flt: Filter, *,
              order: str = "weight") -> tuple[str, str, _Sql, str]:
        """A kind's table, alias, filter clauses and list order: the one place that knows them."""
        if kind == "quote":
            sql = self._quote_sql(flt)
            return "quotes", "q", sql, sql.order or "q.sort_date, q.source_id, q.char_start, q.id"
        if kind == "event":
            return "events", "e", self._event_sql(flt), "e.date, e.id"
        if kind == "actor":
            by = "a.sort_name, a.id" if order == "name" else \
                "(a.event_count + a.quote_count) DESC, a.sort_name, a.id"
            return "actors", "a", self._actor_sql(flt), by
        raise InvalidInput(f"no item kind {kind!r} (use quote, event or actor)")

    def _fetch(self, kind: str, ids: list[int]) -> list:
        """Whole items for a list of ids, in that order."""
        if kind == "quote":
            return [Quote(*r) for r in self._rows(
                f"SELECT {_QUOTE_COLUMNS} FROM quotes q LEFT JOIN actors a "
                "ON a.id = q.speaker_id WHERE q.id IN ({ids})", ids)]
        if kind == "event":
            return self._events(self._rows(
                f"SELECT {_EVENT_COLUMNS} FROM events e WHERE e.id IN ({{ids}})", ids))
        if kind == "actor":
            return self._actors(self._rows(
                f"SELECT {_ACTOR_COLUMNS} FROM actors a WHERE a.id IN ({{ids}})", ids))
        raise InvalidInput(f"no item kind {kind!r} (use quote, event or actor)")


Start = tuple[int, tuple]  # a row of a list and its sort key (see Queries.anchor)


def _columns(order: str) -> list[str]:
    """The columns of an ascending ORDER BY, or none if it cannot be walked by key
    (a descending part, or an expression such as a rank)."""
    columns = [c.strip() for c in order.split(",")]
    if any(" " in c or "(" in c or c.endswith(".rank") for c in columns):
        return []
    return columns


@dataclass
class _Keyed:
    """A list walked by its sort key: FROM, WHERE and the key's columns (ascending)."""

    source: str
    where: list[str]
    columns: list[str]
    alias: str | None = None  # the item's id is ``alias.id``; without, the key's last column

    def _select(self, what: str, params: dict, after: tuple | None) -> tuple[str, dict]:
        where, params = list(self.where), dict(params)
        if after is not None:
            keys = [f":_k{i}" for i in range(len(self.columns))]
            if len(keys) == 1:
                where.append(f"{self.columns[0]} >= {keys[0]}")
            else:
                where.append(f"({', '.join(self.columns)}) >= ({', '.join(keys)})")
            params.update({k[1:]: v for k, v in zip(keys, after, strict=True)})
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return (f"SELECT {what} FROM {self.source} {clause} ORDER BY {', '.join(self.columns)} "
                "LIMIT :_limit OFFSET :_offset"), params

    def step(self, params: dict, after: tuple | None, step: int) -> tuple[str, dict]:
        sql, params = self._select(", ".join(self.columns), params, after)
        return sql, {**params, "_limit": 1, "_offset": step}

    def page(self, params: dict, start: Start | None) -> tuple[str, dict]:
        """The page ``params`` asks for (``limit``, ``offset``), read from ``start`` on."""
        row, key = start if start is not None else (0, None)
        what = f"{self.alias}.id" if self.alias else self.columns[-1]
        sql, params = self._select(what, params, key)
        return sql, {**params, "_limit": params["limit"], "_offset": params["offset"] - row}


def _ids(flt: Filter) -> list[int]:
    """The filter's actor ids, as ints (so they can stand in SQL as literals)."""
    return sorted({int(i) for i in (*flt.actors, *(() if flt.actor is None else (flt.actor,)))})


def main_text(item: Item) -> str:
    """The text a search result shows and highlights."""
    if isinstance(item, Quote):
        return item.text
    if isinstance(item, Event):
        return item.summary
    return item.name
